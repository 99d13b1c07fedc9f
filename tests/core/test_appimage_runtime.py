"""The AppImage runtime (packaging/appimage) on a small AppImage made here.

Built with packaging/appimage/build-runtime.sh and mksquashfs, so these tests are skipped
where the build packages are missing (the message says which). The FUSE tests run where this
machine can mount (root, or /dev/fuse and fusermount3); the fallback test needs root and
`unshare` to hide /dev/fuse in a private mount namespace.
"""

from __future__ import annotations

import os
import random
import select
import shutil
import signal
import stat
import struct
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
APPIMAGE_DIR = ROOT / "packaging" / "appimage"
APPRUN = """#!/bin/sh
for a in "$@"; do echo "arg=$a"; done
echo "APPIMAGE=$APPIMAGE"
echo "APPDIR=$APPDIR"
echo "ARGV0=$ARGV0"
echo "OWD=$OWD"
cat "$APPDIR/data/hello.txt"
if [ -n "$HOLD_FD" ]; then  # a child that outlives the app, reading through the mount
  exec 3<"$APPDIR/data/big.bin"
  ( eval "exec $HOLD_FD>&-"; sleep 3; head -c 5 <&3 > "$HOLD_OUT" ) > /dev/null 2>&1 &
fi
exit "${EXIT_CODE:-0}"
"""


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("mksquashfs"):
        pytest.skip("mksquashfs is missing (squashfs-tools)")
    out = tmp_path_factory.mktemp("runtime") / "runtime"
    built = subprocess.run([str(APPIMAGE_DIR / "build-runtime.sh"), str(out)], capture_output=True,
                           text=True, check=False)
    if built.returncode == 2:
        pytest.skip(built.stderr.strip())
    assert built.returncode == 0, built.stderr
    assert built.stderr == "", "the build is quiet when it works"
    return out


@pytest.fixture(scope="module")
def appdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("appdir") / "AppDir"
    (d / "data" / "sub").mkdir(parents=True)
    (d / "AppRun").write_text(APPRUN)
    (d / "AppRun").chmod(0o755)
    (d / "data" / "hello.txt").write_text("hello from the image\n")
    (d / "data" / "sub" / "with space.txt").write_text("spaced\n")
    (d / "data" / "中文.txt").write_text("名字\n")
    (d / "data" / "big.bin").write_bytes(random.Random(1).randbytes(3_000_000))
    (d / "secret.txt").write_text("mine\n")
    (d / "secret.txt").chmod(0o600)
    (d / "link").symlink_to("data/hello.txt")
    (d / "ro").mkdir()
    (d / "ro" / "file").write_text("read only\n")
    (d / "ro").chmod(0o555)
    os.mkfifo(d / "fifo")
    return d


def make_appimage(runtime: Path, appdir: Path, out: Path, comp: str = "xz") -> Path:
    image = out.with_suffix(".squashfs")
    subprocess.run(["mksquashfs", str(appdir), str(image), "-root-owned", "-noappend", "-comp", comp,
                    "-quiet", "-no-progress", "-no-xattrs"], check=True, capture_output=True)
    subprocess.run(["python3", str(APPIMAGE_DIR / "assemble.py"), str(runtime), str(image), str(out)],
                   check=True, capture_output=True)
    image.unlink()
    return out


@pytest.fixture(scope="module")
def appimage(runtime: Path, appdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_appimage(runtime, appdir, tmp_path_factory.mktemp("ai") / "Test App.AppImage")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **(env or {})}
    result = subprocess.run(list(args), cwd=cwd, env=full, capture_output=True, text=True,
                            errors="replace", timeout=timeout, check=False)
    assert result.returncode >= 0, f"killed by signal {-result.returncode}: {result.stderr}"
    return result


def test_runtime_is_a_type2_runtime(runtime: Path, appimage: Path) -> None:
    head = runtime.read_bytes()[:16]
    assert head[:4] == b"\x7fELF" and head[8:11] == b"AI\x02"
    shown = run(str(appimage), "--appimage-offset", cwd=appimage.parent)
    assert shown.returncode == 0 and int(shown.stdout) == runtime.stat().st_size
    assert run(str(appimage), "--appimage-version", cwd=appimage.parent).stdout.strip()
    checked = run(str(appimage), "--appimage-check", cwd=appimage.parent)
    assert checked.returncode == 0 and "matches its checksum" in checked.stdout
    unknown = run(str(appimage), "--appimage-bogus", cwd=appimage.parent)
    assert unknown.returncode == 1 and "unknown option --appimage-bogus" in unknown.stderr


@pytest.mark.parametrize("comp", ["xz", "zstd", "gzip"])
def test_extract_reproduces_the_appdir(runtime: Path, appdir: Path, tmp_path: Path, comp: str) -> None:
    ai = make_appimage(runtime, appdir, tmp_path / "x.AppImage", comp)
    for _ in range(2):  # the second time over the first extraction
        done = run(str(ai), "--appimage-extract", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert "1 special files skipped" in done.stdout  # the fifo
    out = tmp_path / "squashfs-root"
    for rel in ["data/hello.txt", "data/sub/with space.txt", "data/中文.txt", "data/big.bin", "ro/file"]:
        assert (out / rel).read_bytes() == (appdir / rel).read_bytes(), rel
    assert os.readlink(out / "link") == "data/hello.txt"
    assert stat.S_IMODE((out / "secret.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((out / "AppRun").stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "ro").stat().st_mode) == 0o755  # the owner may always write
    assert not (out / "fifo").exists()


def test_extract_a_pattern(appimage: Path, tmp_path: Path) -> None:
    done = run(str(appimage), "--appimage-extract", "*.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    got = sorted(str(p.relative_to(tmp_path / "squashfs-root"))
                 for p in (tmp_path / "squashfs-root").rglob("*") if p.is_file())
    assert got == ["data/hello.txt", "data/sub/with space.txt", "data/中文.txt", "secret.txt"]
    none = run(str(appimage), "--appimage-extract", "*.nothing", cwd=tmp_path)
    assert none.returncode == 1 and "nothing in the image matches" in none.stderr


def app_output(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    return dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line
                and not line.startswith("arg="))


def test_extract_and_run_caches_the_extraction(appimage: Path, tmp_path: Path) -> None:
    env = {"APPIMAGE_EXTRACT_AND_RUN": "1", "TMPDIR": str(tmp_path)}
    first = run(str(appimage), "one", "two words", cwd=tmp_path, env={**env, "EXIT_CODE": "3"})
    assert first.returncode == 3, first.stderr
    assert [x for x in first.stdout.splitlines() if x.startswith("arg=")] == ["arg=one", "arg=two words"]
    assert "hello from the image" in first.stdout
    seen = app_output(first)
    assert seen["APPIMAGE"] == str(appimage) and seen["OWD"] == str(tmp_path)
    assert seen["ARGV0"] == str(appimage)
    appdir = Path(seen["APPDIR"])
    assert appdir.parent == tmp_path and stat.S_IMODE(appdir.stat().st_mode) == 0o700
    (appdir / "marker").write_text("kept")  # a second run uses the same folder, unextracted
    second = run(str(appimage), "--appimage-extract-and-run", "x", cwd=tmp_path,
                 env={"TMPDIR": str(tmp_path)})
    assert second.returncode == 0 and app_output(second)["APPDIR"] == str(appdir)
    assert (appdir / "marker").exists() and second.stderr == ""
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("appimage-")] == [appdir.name]


def fuse_mount(appimage: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], Path] | None:
    proc = subprocess.Popen([str(appimage), "--appimage-mount"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **env})
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line:
        proc.wait(10)
        return None
    return proc, Path(line)


def wait_unmounted(mountpoint: Path) -> None:
    for _ in range(100):
        if str(mountpoint) not in Path("/proc/mounts").read_text() and not mountpoint.exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"{mountpoint} still mounted or present")


@pytest.fixture()
def fuse(appimage: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {"TMPDIR": str(tmp_path)}
    mounted = fuse_mount(appimage, env)
    if mounted is None:
        pytest.skip("FUSE cannot mount here")
    proc, mountpoint = mounted
    proc.send_signal(signal.SIGINT)
    proc.wait(10)
    wait_unmounted(mountpoint)
    yield env


def test_mount_option_serves_the_image_until_interrupted(appimage: Path, appdir: Path,
                                                         fuse: dict[str, str]) -> None:
    mounted = fuse_mount(appimage, fuse)
    assert mounted is not None
    proc, mnt = mounted
    try:
        assert mnt.parent == Path(fuse["TMPDIR"]) and mnt.name.startswith(".mount_")
        assert (mnt / "AppRun").read_text() == APPRUN
        assert (mnt / "data" / "big.bin").read_bytes() == (appdir / "data" / "big.bin").read_bytes()
        assert os.readlink(mnt / "link") == "data/hello.txt"
        with pytest.raises(OSError):
            (mnt / "new.txt").write_text("read-only")
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
    wait_unmounted(mnt)


def test_runs_from_a_fuse_mount_and_unmounts(appimage: Path, tmp_path: Path, fuse: dict[str, str]) -> None:
    done = run(str(appimage), "a b", cwd=tmp_path, env={**fuse, "EXIT_CODE": "7"})
    assert done.returncode == 7, done.stderr
    assert done.stderr == "" and "arg=a b" in done.stdout and "hello from the image" in done.stdout
    appdir = Path(app_output(done)["APPDIR"])
    assert appdir.parent == tmp_path and appdir.name.startswith(".mount_Test_App.AppImage.")
    wait_unmounted(appdir)


def move_fd(fd: int, to: int) -> None:
    os.dup2(fd, to)
    os.close(fd)


def test_the_mount_outlives_the_app_for_its_children_only(appimage: Path, appdir: Path, tmp_path: Path,
                                                         fuse: dict[str, str]) -> None:
    """After the app exits, a child still reading from the image keeps the server up, and the
    server holds none of the descriptors the app was started with."""
    read_end, write_end = os.pipe()
    out = tmp_path / "child.out"
    # The app gets the pipe as its descriptor 9 (sh redirects single digits only).
    app = subprocess.Popen([str(appimage)], pass_fds=[write_end, 9], stdout=subprocess.PIPE, text=True,
                           preexec_fn=lambda: move_fd(write_end, 9),
                           env={**os.environ, **fuse, "HOLD_FD": "9", "HOLD_OUT": str(out)})
    os.close(write_end)
    assert app.stdout is not None
    mountpoint = Path(app_output(subprocess.CompletedProcess([], 0, app.stdout.read(), ""))["APPDIR"])
    assert app.wait(10) == 0
    ready, _, _ = select.select([read_end], [], [], 2)
    assert ready and os.read(read_end, 1) == b"", "someone still holds the app's pipe"
    os.close(read_end)
    assert mountpoint.exists() and not out.exists()  # the child is still reading
    for _ in range(100):
        if out.exists() and out.stat().st_size == 5:
            break
        time.sleep(0.1)
    assert out.read_bytes() == (appdir / "data" / "big.bin").read_bytes()[:5]
    wait_unmounted(mountpoint)


def test_falls_back_to_extracting_without_fuse(appimage: Path, tmp_path: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare to hide /dev/fuse")
    hide = "mount --make-rprivate / && mount -t tmpfs none /dev && exec \"$0\" arg"
    done = run("unshare", "-m", "sh", "-c", hide, str(appimage), cwd=tmp_path, env={"TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "no FUSE (/dev/fuse is missing): extracting to" in lines[0]
    assert "hello from the image" in done.stdout


def flipped(src: Path, dest: Path, *positions: int) -> Path:
    data = bytearray(src.read_bytes())
    for pos in positions:
        data[pos] ^= 0xFF
    dest.write_bytes(data)
    dest.chmod(0o755)
    return dest


def superblock(appimage: Path, offset: int) -> dict[str, int]:
    names = ["magic", "inodes", "mkfs_time", "block_size", "fragments", "compression", "block_log",
             "flags", "no_ids", "major", "minor", "root", "bytes_used", "id_table", "xattr_table",
             "inode_table", "directory_table", "fragment_table", "lookup_table"]
    with appimage.open("rb") as f:
        f.seek(offset)
        return dict(zip(names, struct.unpack("<IIIIIHHHHHHQQQQQQQQ", f.read(96)), strict=True))


def one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and any(e in lines[0] for e in expected), result.stderr
    assert "crashed" not in result.stderr


def test_truncated_files_are_reported(appimage: Path, tmp_path: Path) -> None:
    offset = int(run(str(appimage), "--appimage-offset", cwd=tmp_path).stdout)
    size = appimage.stat().st_size
    cases = {40: "too short", 1000: "ends inside the runtime", offset: "nothing follows the runtime",
             offset + 50: "before the image's header", offset + 1_000_000: "its image needs",
             size - 1: "the file is truncated"}
    for length, expected in cases.items():
        cut = tmp_path / f"cut{length}.AppImage"
        cut.write_bytes(appimage.read_bytes()[:length])
        # A file cut inside the runtime cannot even be loaded by the kernel: ask another copy.
        result = run(str(appimage), "--appimage-extract", cwd=tmp_path, env={"TARGET_APPIMAGE": str(cut)})
        one_line_error(result, expected)
        assert not (tmp_path / "squashfs-root").exists()


def test_damaged_images_are_reported(appimage: Path, tmp_path: Path) -> None:
    offset = int(run(str(appimage), "--appimage-offset", cwd=tmp_path).stdout)
    sb = superblock(appimage, offset)
    cases = {"magic": (offset, "no squashfs image"), "block size": (offset + 12, "superblock is damaged"),
             "data": (offset + 1_000_000, "its checksum differs"),
             "inode table": (offset + sb["inode_table"] + 10, "its tables differ"),
             "directory table": (offset + sb["directory_table"] + 5, "its tables differ"),
             "id table": (offset + sb["id_table"] + 2, "its tables differ")}
    for name, (pos, expected) in cases.items():
        bad = flipped(appimage, tmp_path / "bad.AppImage", pos)
        for args in (["--appimage-extract"], ["--appimage-check"]):
            one_line_error(run(str(bad), *args, cwd=tmp_path), expected)
        if name != "data":  # tables are checked at every start; the data only before extracting
            one_line_error(run(str(bad), cwd=tmp_path, env={"APPIMAGE_EXTRACT_AND_RUN": "1",
                                                            "TMPDIR": str(tmp_path)}), expected)
    assert not (tmp_path / "squashfs-root").exists()


def test_random_damage_never_crashes(appimage: Path, tmp_path: Path) -> None:
    offset = int(run(str(appimage), "--appimage-offset", cwd=tmp_path).stdout)
    sb = superblock(appimage, offset)
    rng = random.Random(13)
    for i in range(40):
        start = offset + (sb["inode_table"] if i % 2 else 0)
        spots = [rng.randrange(start, offset + sb["bytes_used"]) for _ in range(rng.randint(1, 3))]
        bad = flipped(appimage, tmp_path / "bad.AppImage", *spots)
        result = run(str(bad), "--appimage-extract", cwd=tmp_path, timeout=30)
        one_line_error(result, "damaged", "no squashfs image", "truncated")
