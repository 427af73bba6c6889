from portal.roles import Role, roles_of


def navigation(request):
    """The roles of the signed-in person, for the header's links."""
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None else []
    return {"user_roles": roles, "Role": Role}
