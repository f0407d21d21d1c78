/** The error of a `useLoad` result, or null: for pages that show one error line for several loads. */
import type { Load } from './use-load';

export function errorOf<T>(load: Load<T>): unknown {
  return load.status === 'error' ? load.error : null;
}
