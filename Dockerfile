# Trace an Object: one image for every app node. Build: docker build -t traceobject .
# Settings come from the environment at run time (see .env.example); nothing secret is baked in.
# Where no registry is reachable, scripts/docker-build.sh builds it on a base made from Debian's
# packages (scripts/docker-base.sh) with this machine's pip settings (docs/operations.md).

# Any Debian bookworm image with Python 3.11 as `python` and python -m venv.
ARG BASE_IMAGE=python:3.11-slim-bookworm

# --- build: wheels and a virtualenv, with the compilers that never reach the final image
FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH
WORKDIR /app
COPY requirements.txt ./
# The package index settings and CA bundle of the machine that builds, if it gives any, are
# build secrets: mounted for this one command, never in a layer.
RUN --mount=type=secret,id=pip_conf --mount=type=secret,id=pip_cert \
    PIP_CONFIG_FILE=/run/secrets/pip_conf pip install -r requirements.txt
COPY . .
# Compiled translations (Babel, pure Python: no GNU gettext in the image) and hashed, compressed
# static files. The throwaway keys only let the settings load here; they are never used to sign
# or encrypt anything, and the running container gets its own from the environment. Then all of
# it readable by everyone and writable by root only: collectstatic writes with
# FILE_UPLOAD_PERMISSIONS (0640) and a checkout may carry a private umask, but the app user
# must read every file.
RUN python scripts/compilemessages.py \
    && SECRET_KEY=build-only-not-a-secret-0123456789abcdef \
       RECEIPT_KEY=build-only-not-a-secret-0123456789abcdef \
       TIP_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMDEyMzQ1Njc= \
       DEBUG=0 VAR_DIR=/app/var \
       python manage.py collectstatic --no-input -v 0 \
    && chmod -R a+rX,go-w /app /venv

# --- runtime: slim Python, the virtualenv, the code and the collected files, as a non-root user
FROM ${BASE_IMAGE} AS runtime
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=traceobject.settings \
    VAR_DIR=/app/var \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /venv /venv
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# Only var/ (media when no bucket is configured) is writable, and only by the app user.
RUN mkdir -p /app/var/media/public /app/var/media/private \
    && chown -R app:app /app/var/media
USER 10001:10001
EXPOSE 8000
# GET /healthz on gunicorn's address (GUNICORN_BIND) with a Host from ALLOWED_HOSTS, which in
# production names the site rather than 127.0.0.1 (scripts/healthcheck.py).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "/app/scripts/healthcheck.py"]
# The task worker is this image with another command: `python manage.py procrastinate worker`
# (docker-compose.yml's `worker`, which also replaces this HEALTHCHECK: no gunicorn runs there).
CMD ["gunicorn", "--config", "/app/gunicorn.conf.py"]
