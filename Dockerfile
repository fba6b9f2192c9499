FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY registry registry
COPY ingest ingest
COPY search search
RUN pip install --no-cache-dir .
ENV NORMREG_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["normreg", "serve", "--host", "0.0.0.0", "--port", "8000"]
