import { invalidRequest } from "../errors/errors.js";

/**
 * A request body's text as JSON, or the one 400 every endpoint gives for
 * text that is not JSON (`invalid_json`, with the parser's reason).
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRequest(`The request body is not valid JSON: ${(error as Error).message}`, null, "invalid_json");
  }
}
