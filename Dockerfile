# One image for web, worker and beat; docker-compose.yml picks the command.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=jeonju_center.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

WORKDIR /app

# PostgreSQL client for backups (pg_dump/pg_restore) and gettext for compiling translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client gettext \
 && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .

# Static files are collected at build time with the production storage, which writes the manifest of
# hashed names that production pages need (without it every {% static %} fails). The settings only need
# production-shaped values to load: a throw-away key, no database connection.
RUN DJANGO_ENV=production ALLOWED_HOSTS=build.invalid DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput \
 && rm -f /tmp/build.sqlite3 \
 && useradd --system --uid 1000 --home /app portal \
 && mkdir -p /app/media \
 && chown -R portal /app/media /app/staticfiles

USER portal
EXPOSE 8000

CMD ["gunicorn", "jeonju_center.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
