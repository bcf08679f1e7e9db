/**
 * The message of a thrown value. Read without instanceof, since errors of Node's fs and fetch may come
 * from another realm (a VM context, a worker) where they are not instances of this realm's Error.
 */
export function messageOf(error: unknown): string {
  if (
    typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string'
  ) {
    return error.message;
  }
  return String(error);
}
