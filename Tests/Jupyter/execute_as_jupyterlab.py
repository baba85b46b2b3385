"""Executes a notebook with nbclient on the ffnb kernel, sending each cell's id in the
request's metadata (`cellId`) as JupyterLab does, and writes the executed notebook.

    python3 execute_as_jupyterlab.py IN.ipynb OUT.ipynb
"""
import os
import sys

import nbformat
from nbclient import NotebookClient


def main(source, target):
    nb = nbformat.read(source, as_version=4)
    client = NotebookClient(nb, kernel_name="ffnb", timeout=600,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(source))}})

    def send_cell_id(cell, cell_index, **_):
        client.kc.session.metadata["cellId"] = cell.id

    client.on_cell_execute = send_cell_id
    client.execute()
    nbformat.write(nb, target)
    print(f"executed {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
