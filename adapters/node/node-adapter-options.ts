export interface NodeAdapterOptions {
  /** Largest request body accepted, bytes (413 past it). Default: the gateway's maxBodyBytes (10 MiB). */
  maxBodyBytes?: number;
}
