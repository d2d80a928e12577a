import type { z } from 'zod';

/** The first thing wrong with a value, as `path.to.field: message`, for error messages people read. */
export function formatIssue(error: z.ZodError, what = 'message'): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || what}: ${issue.message}` : `invalid ${what}`;
}
