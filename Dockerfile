# Trace an Object: one image for every app node. Build: docker build -t traceobject .
# Settings come from the environment at run time (see .env.example); nothing secret is baked in.

# --- build: wheels and a virtualenv, with the compilers that never reach the final image
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
# Compiled translations (Babel, pure Python: no GNU gettext in the image) and hashed, compressed
# static files. The throwaway keys only let the settings load here; they are never used to sign
# or encrypt anything, and the running container gets its own from the environment.
RUN python scripts/compilemessages.py \
    && SECRET_KEY=build-only-not-a-secret-0123456789abcdef \
       RECEIPT_KEY=build-only-not-a-secret-0123456789abcdef \
       TIP_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1zZWNyZXQtMDEyMzQ1Njc= \
       DEBUG=0 VAR_DIR=/app/var \
       python manage.py collectstatic --no-input -v 0

# --- runtime: slim Python, the virtualenv, the code and the collected files, as a non-root user
FROM python:3.11-slim-bookworm AS runtime
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
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"]
CMD ["gunicorn", "--config", "/app/gunicorn.conf.py"]
