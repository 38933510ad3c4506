"""The checks ``digest check`` runs (digest/check.py): the site's settings and feed list
(settings.py), the posts and notes (posts.py)."""
