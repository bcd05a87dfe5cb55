/** Gemini API base URL (https://ai.google.dev/api#endpoints). */
export const GEMINI_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

/**
 * `{baseURL}/models/{model}:{method}`. A model given as a resource name
 * (`models/x`, `tunedModels/x`) keeps its collection; streams add `alt=sse`
 * to get SSE framing instead of a JSON array
 * (https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent).
 */
export function buildGeminiUrl(baseURL: string, model: string, method: "generateContent" | "streamGenerateContent" | "batchEmbedContents"): string {
  const base = baseURL.replace(/\/+$/, "");
  const resource = model.includes("/") ? model.split("/").map(encodeURIComponent).join("/") : `models/${encodeURIComponent(model)}`;
  const query = method === "streamGenerateContent" ? "?alt=sse" : "";
  return `${base}/${resource}:${method}${query}`;
}
