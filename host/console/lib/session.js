// Who is signed in (GET /api/v1/session): the actor and the scope, which
// decides which write actions the pages draw.

const RANK = { read: 0, write: 1, admin: 2 };

export const session = {
  actor: null,
  scope: null,
  set(answer) {
    this.actor = answer.actor;
    this.scope = answer.scope;
  },
  clear() {
    this.actor = null;
    this.scope = null;
  },
  can(scope) {
    return this.scope !== null && RANK[this.scope] >= RANK[scope];
  },
};
