"""What llama.cpp was built with, and how much GPU memory is free.

``probe()`` runs inside the model process (which imports llama_cpp anyway); the GUI process
only ever receives the resulting plain data.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Hardware:
    backend: str  # CPU | CUDA | Metal | Vulkan | SYCL | HIP
    gpu_offload: bool
    gpu_name: str = ""
    gpu_free_bytes: int | None = None
    gpu_total_bytes: int | None = None
    system_info: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        if not self.gpu_offload:
            return "llama.cpp backend: CPU (built without GPU support)"
        text = f"llama.cpp backend: {self.backend}"
        if self.gpu_name:
            text += f", {self.gpu_name}"
        if self.gpu_free_bytes is not None:
            text += f", {self.gpu_free_bytes / 1024**3:.1f} GB free"
        return text


def backend_from(system_info: str, gpu_offload: bool, libs: list[str]) -> str:
    if not gpu_offload:
        return "CPU"
    joined = " ".join([system_info, *libs]).lower()
    for name in ("CUDA", "Metal", "Vulkan", "SYCL", "HIP"):
        if name.lower() in joined:
            return name
    return "GPU"


def nvidia_memory() -> tuple[str, int, int] | None:
    """(name, free, total) of the first NVIDIA GPU, from nvidia-smi; None if unavailable."""
    exe = shutil.which("nvidia-smi")
    if not exe:
        return None
    try:
        out = subprocess.run(
            [exe, "--query-gpu=name,memory.free,memory.total", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.match(r"\s*(.+?),\s*(\d+),\s*(\d+)", out)
    if not match:
        return None
    mib = 1024 * 1024
    return match.group(1), int(match.group(2)) * mib, int(match.group(3)) * mib


def probe() -> Hardware:
    """Call only where importing llama_cpp is fine (the model process, the bench)."""
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode(errors="replace")
    offload = bool(llama_cpp.llama_supports_gpu_offload())
    libs = _llama_libs()
    backend = backend_from(info, offload, libs)
    name, free, total = "", None, None
    if backend == "CUDA":
        found = nvidia_memory()
        if found:
            name, free, total = found
    elif backend == "Metal" and sys.platform == "darwin":
        import psutil

        # Apple silicon shares memory; Metal may use about two thirds of it by default.
        total = psutil.virtual_memory().total
        free, name = int(psutil.virtual_memory().available * 0.66), "Apple GPU (shared memory)"
    return Hardware(backend, offload, name, free, total, info.strip())


def _llama_libs() -> list[str]:
    """Names of the ggml backend libraries shipped with llama_cpp (libggml-cuda.so, ...)."""
    from pathlib import Path

    import llama_cpp

    lib = Path(llama_cpp.__file__).parent / "lib"
    return [p.name for p in lib.glob("*ggml*")] if lib.is_dir() else []
