import type { z } from 'zod';

/** The first zod issue as one line, `path: message`, for a SourceFormatError's reason. */
export function describeZodIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return '(root): invalid';
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  return `${where}: ${issue.message}`;
}
