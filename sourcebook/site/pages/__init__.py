"""The page kinds, one module each: its routes, its view of the research, its structured data
and what it adds to search. Its template is templates/<kind>.html."""
