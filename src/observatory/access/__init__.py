"""Who may do what to which country's data: roles, principals and the one permission check."""
