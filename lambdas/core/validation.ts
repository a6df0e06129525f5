/**
 * Zod at every edge answers with one line: the first issue, where it is and what is wrong. Every
 * entry point (events, configs, CLI options, model output) phrases its error from this.
 */

/** What zod's `ZodError` carries (structural, so any zod schema's error fits). */
export interface IssueList {
  issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>;
}

export interface FirstIssue {
  /** The dotted path of the offending field; undefined when the value itself is wrong. */
  path?: string;
  /** The issue's message, first line only. */
  message: string;
}

export function firstIssue(error: IssueList): FirstIssue {
  const issue = error.issues[0];
  if (!issue) return { message: 'invalid' };
  const message = issue.message.split('\n')[0]!;
  return issue.path.length > 0 ? { path: issue.path.map(String).join('.'), message } : { message };
}

/** `path: message`, with `root` naming the value itself when the issue has no path. */
export function describeIssue(error: IssueList, root = '(root)'): string {
  const { path, message } = firstIssue(error);
  return `${path ?? root}: ${message}`;
}
