FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY registry registry
COPY ingest ingest
COPY search search
RUN pip install --no-cache-dir . \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin normreg \
 && mkdir -p /data && chown normreg /data
ENV NORMREG_DATA_DIR=/data
# Not root: a flaw in a file parser or the server then holds only the data volume, not the container.
USER normreg
VOLUME /data
EXPOSE 8000
CMD ["normreg", "serve", "--host", "0.0.0.0", "--port", "8000"]
