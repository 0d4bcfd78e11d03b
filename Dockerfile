# OpenSpeakers images. One file, three targets (compose.yaml builds each service from it):
#
#   api      the API and the web UI (built in a Node stage): `openspeakers serve` on 0.0.0.0
#   worker   one Celery worker for the queue group GROUP of configs/models.yaml; what it installs
#            comes from the registry through scripts/worker_env.py, the script `make worker-env`
#            runs (the group's pip extras and scripted installs), never from a list kept here
#
# PyTorch is chosen by build arguments. The default is the CPU wheel (the API, tts.cpu,
# tts.kokoro); compose's GPU workers pass TORCH=torch==2.13.0 and an empty TORCH_INDEX_URL,
# i.e. PyPI's Linux wheel, the CUDA build with its NVIDIA runtime libraries. All GPU groups
# then share the layers up to and including torch (the GPU base); only their extras differ.
#
#   docker build --target worker --build-arg GROUP=tts.kokoro -t openspeakers-worker-kokoro .
#   docker build --target worker --build-arg GROUP=tts.dia --build-arg TORCH=torch==2.13.0 \
#     --build-arg TORCH_INDEX_URL= -t openspeakers-worker-dia .
#
# No weights and no secrets are baked in: weights live in the MODEL_CACHE_DIR volume and
# HF_TOKEN comes from the environment at run time.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# --- the web UI: static files for src/openspeakers/static -----------------------------------
FROM ${NODE_IMAGE} AS ui
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- Python, a virtual environment and an unprivileged user -------------------------------
FROM ${PYTHON_IMAGE} AS python
ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python3 -m venv /opt/venv \
    && useradd --system --uid 10001 --create-home --home-dir /home/openspeakers openspeakers \
    && mkdir -p /data/audio /data/voices /data/cache /models \
    && chown -R openspeakers:openspeakers /data /models

# --- PyTorch: the CPU wheel by default, PyPI's CUDA build for the GPU workers --------------
FROM python AS torch
ARG TORCH=torch==2.13.0+cpu
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
# The pin is the TORCH argument (torch==2.13.0 or its +cpu build).
# hadolint ignore=DL3013
RUN pip install ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"} "$TORCH"

# --- a queue group's dependencies, from the registry, before the source (cached layers) ----
FROM torch AS deps
ARG GROUP=tts.cpu
ARG SOURCE=""
ARG WITH_TEST=""
WORKDIR /app
COPY pyproject.toml README.md ./
COPY configs/ configs/
COPY scripts/worker_env.py scripts/install_*.sh scripts/
# An empty package stands in for src/ so that `pip install -e` resolves the dependencies now.
# A C compiler is there only during this step (webrtcvad, under Resemblyzer, ships no wheel).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && mkdir -p src/openspeakers && touch src/openspeakers/__init__.py \
    && python scripts/worker_env.py "$GROUP" --venv /opt/venv --deps-only \
       ${SOURCE:+--source} ${WITH_TEST:+--with-test} \
    && apt-get purge -y --auto-remove gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

FROM deps AS app
COPY scripts/ scripts/
COPY src/ src/
COPY bench/ bench/
COPY tests/ tests/
ENV DATA_DIR=/data \
    AUDIO_OUTPUT_DIR=/data/audio \
    MODEL_CACHE_DIR=/models \
    HF_HUB_CACHE=/models \
    BACKEND_HOST=0.0.0.0 \
    BACKEND_PORT=8080
VOLUME ["/data/audio", "/data/voices", "/data/cache", "/models"]

# --- a Celery worker for one queue group ---------------------------------------------------
FROM app AS worker
ARG GROUP=tts.cpu
ARG VERSION=0.1.0
ENV OPENSPEAKERS_GROUP=${GROUP}
LABEL org.opencontainers.image.title="openspeakers-worker" \
      org.opencontainers.image.description="OpenSpeakers Celery worker for one queue group" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      io.openspeakers.queue-group="${GROUP}"
USER 10001
HEALTHCHECK --interval=15s --timeout=10s --start-period=120s --retries=3 \
    CMD ["python", "/app/scripts/containers/healthcheck.py", "worker"]
CMD ["sh", "-c", "exec openspeakers worker --queues \"$OPENSPEAKERS_GROUP\""]

# --- the API and the web UI ---------------------------------------------------------------
FROM app AS api
ARG VERSION=0.1.0
COPY --from=ui /build/src/openspeakers/static/ src/openspeakers/static/
LABEL org.opencontainers.image.title="openspeakers-api" \
      org.opencontainers.image.description="OpenSpeakers API, OpenAI-compatible /v1 and web UI" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
USER 10001
EXPOSE 8080 10200
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "/app/scripts/containers/healthcheck.py", "api"]
CMD ["openspeakers", "serve", "--host", "0.0.0.0"]
