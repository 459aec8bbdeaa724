#!/usr/bin/env bash
# Opens the lab book in Jupyter with the lab's TypeScript kernel, after the usual set-up.
# Uses JupyterLab when it is installed (pip install jupyterlab), else the classic Notebook.
#   npm run lab                 # the engine from LAB_DB (default: MariaDB/MySQL)
#   LAB_DB=postgres npm run lab
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export JUPYTER_PATH="$PWD/.lab/jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# Loopback only: the notebooks hold live database connections. Jupyter prints the URL with its token.
extra=(--ip=127.0.0.1)
[ "$(id -u)" = 0 ] && extra+=(--allow-root) # Jupyter refuses to run as root unless told
if jupyter lab --version >/dev/null 2>&1; then
  exec jupyter lab --notebook-dir notebooks "${extra[@]}" "$@"
fi
exec jupyter notebook --notebook-dir notebooks "${extra[@]}" "$@"
