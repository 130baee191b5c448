# syntax=docker/dockerfile:1
# The service's image (not built in this repository's CI): multi-stage, non-root, the pinned requirements.
#   docker build -t partner-referral-api:1.0.0 .
# Run one image as web, worker, beat or the release step (see Procfile and deploy/kubernetes/).

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY requirements.txt .
# Wheels for every pinned runtime requirement; nothing from the build stage but these reaches the image.
RUN python -m pip wheel --wheel-dir /wheels -r requirements.txt

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=referral_api.settings REFERRAL_API_DATA_DIR=/tmp/referral-api \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    python -m pip install --no-index --find-links /wheels -r requirements.txt && rm requirements.txt
# Application code only: tests, docs, benchmarks, clients and local data stay out (.dockerignore), so a new
# app directory needs no change here.
COPY --chown=root:root . .
# The code is owned by root and read-only to the app user; the root filesystem can be mounted read-only.
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["gunicorn", "referral_api.wsgi", "-c", "gunicorn.conf.py"]
