"""Demo content for development: drawn demo objects (demo.art) and the `seed_demo` and
`create_demo_login` commands.

The top layer (traceobject ← objects ← tips ← backoffice ← demo): it may import any app, and no
app imports it. It is installed only with DEBUG=1 or DEMO_APP=1 and is not in the production
image (.dockerignore).
"""
