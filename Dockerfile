# Production image: gunicorn serves the app; the same image runs the Celery worker and beat.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango; libharfbuzz-subset0 makes it several times faster.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 juntos
WORKDIR /app

COPY pyproject.toml requirements.lock README.md ./
COPY config ./config
COPY accounts ./accounts
COPY cities ./cities
COPY partnerships ./partnerships
COPY governance ./governance
COPY budgeting ./budgeting
RUN pip install -c requirements.lock .

COPY . .
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R juntos:juntos /app/media

USER juntos
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
