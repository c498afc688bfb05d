# One image for web, worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts ./scripts
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=strategy_portal.settings_production
WORKDIR /app
# Pango and a font: WeasyPrint draws the performance pack's PDF with them.
RUN apt-get update && apt-get install -y --no-install-recommends curl \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /app/build ./build
# collectstatic needs settings but no database or real secret: placeholders that pass the checks.
RUN DJANGO_SECRET_KEY=collectstatic-only PSEUDONYMISATION_KEY=collectstatic-only-placeholder-key-0000 \
    DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/none.db SITE_URL=https://localhost \
    CACHE_URL=redis://localhost:6379/1 \
    EMAIL_HOST=localhost DEFAULT_FROM_EMAIL=collectstatic@localhost \
    python manage.py collectstatic --no-input
RUN useradd --create-home --uid 1000 portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "strategy_portal.wsgi:application"]
