/**
 * Just enough of IAM's policy evaluation to ask a synthesized template "may this role do X on Y?":
 * Allow/Deny, Action/NotAction and Resource/NotResource with `*` and `?` wildcards, and the
 * condition operators these templates use (StringEquals, StringLike, ArnLike, ArnEquals). An
 * explicit Deny wins; anything not allowed is denied. Unknown operators make a statement not apply,
 * so an unevaluated condition can never grant access here.
 */

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: string | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface Request {
  action: string;
  resource?: string;
  /** The calling principal's ARN, for trust policies. */
  principal?: string;
  /** Condition keys of the request, e.g. `sts:ExternalId`, `aws:PrincipalArn`. */
  context?: Record<string, string>;
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : ([] as string[]).concat(value));

/** IAM's wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

// Action names are case-insensitive in IAM; resource ARNs are matched as written.
const actionMatches = (patterns: string[], action: string) => patterns.some((p) => wildcardMatch(p, action, true));
const resourceMatches = (patterns: string[], resource: string) => patterns.some((p) => wildcardMatch(p, resource));

function conditionHolds(condition: PolicyStatement['Condition'], context: Record<string, string>): boolean {
  for (const [operator, tests] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(tests)) {
      const actual = context[key];
      if (actual === undefined) return false;
      const values = list(expected);
      const holds =
        operator === 'StringEquals' || operator === 'ArnEquals'
          ? values.includes(actual)
          : operator === 'StringLike' || operator === 'ArnLike'
            ? values.some((v) => wildcardMatch(v, actual))
            : false;
      if (!holds) return false;
    }
  }
  return true;
}

function principalMatches(principal: PolicyStatement['Principal'], caller: string | undefined): boolean {
  if (principal === undefined) return true; // identity policies have no Principal
  if (caller === undefined) return false;
  if (principal === '*') return true;
  return Object.values(principal).some((values) =>
    list(values).some((p) => {
      if (p === caller) return true;
      // An account's root principal trusts any principal of that account (the policy then narrows it).
      const root = /^arn:aws:iam::(\d{12}):root$/.exec(p);
      return root !== null && new RegExp(`^arn:aws:(iam|sts)::${root[1]}:`).test(caller);
    }),
  );
}

function applies(statement: PolicyStatement, request: Request): boolean {
  const actionOk = statement.Action !== undefined ? actionMatches(list(statement.Action), request.action) : !actionMatches(list(statement.NotAction), request.action);
  if (!actionOk) return false;
  if (request.resource !== undefined) {
    const resourceOk =
      statement.Resource !== undefined ? resourceMatches(list(statement.Resource), request.resource) : statement.NotResource !== undefined && !resourceMatches(list(statement.NotResource), request.resource);
    if (!resourceOk) return false;
  }
  return principalMatches(statement.Principal, request.principal) && conditionHolds(statement.Condition, request.context ?? {});
}

/** Whether the statements allow the request (an explicit Deny wins). */
export function isAllowed(statements: PolicyStatement[], request: Request): boolean {
  const matching = statements.filter((s) => applies(s, request));
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}
