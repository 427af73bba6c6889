"""Who makes and revokes API tokens."""

import rules

from api.scopes import may_make_tokens


@rules.predicate
def makes_tokens(user) -> bool:
    """Staff (officers, ministry staff, administrators) make tokens for themselves."""
    return may_make_tokens(user)


@rules.predicate
def owns_token(user, token) -> bool:
    return token is not None and token.user_id == user.pk


rules.add_perm("api.make_token", makes_tokens)
rules.add_perm("api.revoke_token", owns_token)
