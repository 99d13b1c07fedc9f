"""PyInstaller hook for llama-cpp-python.

llama_cpp loads its libraries with ctypes from ``<package>/lib`` (``libllama.so``,
``libggml*.so`` / ``llama.dll`` / ``libllama.dylib``), which static analysis cannot see.
Collect them into ``llama_cpp/lib`` of the bundle, where ``llama_cpp.llama_cpp._base_path``
looks. Linux wheels ship each library three times (``x.so``, ``x.so.0``, ``x.so.0.25.3`` as
copies, not links): ctypes opens ``libX.so`` and the dynamic linker then wants the SONAME
(``libX.so.0``), so we keep those two and drop the fully versioned duplicate.
The optional ``llama_cpp.server`` (FastAPI/uvicorn) is not used by the app.
"""

from pathlib import Path

from PyInstaller.utils.hooks import get_package_paths

_, package_dir = get_package_paths("llama_cpp")
lib_dir = Path(package_dir) / "lib"

binaries = []
if lib_dir.is_dir():
    for path in sorted(lib_dir.iterdir()):
        name = path.name
        if path.is_dir():
            continue
        if name.endswith((".dll", ".dylib")):
            binaries.append((str(path), "llama_cpp/lib"))
        elif name.endswith(".so") or (".so." in name and name.count(".") == 2):
            # libllama.so (opened by ctypes) and libllama.so.0 (its SONAME, NEEDED by others)
            binaries.append((str(path), "llama_cpp/lib"))

hiddenimports = ["llama_cpp.llama_cpp", "llama_cpp._ggml", "llama_cpp.mtmd_cpp"]
excludedimports = ["llama_cpp.server"]
