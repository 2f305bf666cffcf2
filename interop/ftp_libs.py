"""Drives our FTP server with Python's two high-level FTP client libraries from Debian
(python3-ftputil, python3-aioftp), as a user with write access; exits 1 on the first mismatch.

    ftp_libs.py ftputil|aioftp PORT USER PASSWORD SAMPLE-FILE

ftputil parses LIST output (unix style) and stats through it; aioftp prefers MLSD/MLST.
Both make and remove trees, upload, download and compare bytes; ftputil does it again over
explicit TLS with protected data (AUTH TLS, PROT P), aioftp also streams, appends (APPE) and
reads from an offset (REST).
"""
import asyncio
import ftplib
import ssl
import sys


def fail(what):
    print("FAIL " + what)
    sys.exit(1)


def insecure_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE   # the interop server's certificate is self-signed
    return ctx


def with_ftputil(port, user, password, sample):
    import ftputil
    import ftputil.session

    class Tls(ftplib.FTP_TLS):
        def __init__(self, *args, **kwargs):
            super().__init__(context=insecure_context())

    factories = {
        "plain": ftputil.session.session_factory(base_class=ftplib.FTP, port=port),
        "tls": ftputil.session.session_factory(base_class=Tls, port=port, encrypt_data_channel=True),
    }
    data = open(sample, "rb").read()
    for name, factory in factories.items():
        top = "ftputil-" + name
        with ftputil.FTPHost("127.0.0.1", user, password, session_factory=factory) as host:
            host.makedirs(top + "/d1/d2", exist_ok=True)
            with host.open(top + "/d1/d2/f.txt", "w", encoding="utf-8") as f:
                f.write("hello ftputil\n")
            if not host.path.isfile(top + "/d1/d2/f.txt") or host.path.getsize(top + "/d1/d2/f.txt") != 14:
                fail(name + ": written file not seen with its size through LIST")
            host.upload(sample, top + "/d1/sample")
            with host.open(top + "/d1/sample", "rb") as f:
                if f.read() != data:
                    fail(name + ": download differs from upload")
            walked = sorted((root, sorted(files)) for root, _, files in host.walk(top))
            if walked != [(top, []), (top + "/d1", ["sample"]), (top + "/d1/d2", ["f.txt"])]:
                fail(name + ": walk saw " + repr(walked))
            host.rename(top + "/d1/sample", top + "/d1/renamed")
            if sorted(host.listdir(top + "/d1")) != ["d2", "renamed"]:
                fail(name + ": rename not seen: " + repr(host.listdir(top + "/d1")))
            host.rmtree(top)
            if host.path.exists(top):
                fail(name + ": rmtree left the tree")
        print("PASS ftputil " + name)


async def with_aioftp(port, user, password, sample):
    import aioftp

    data = open(sample, "rb").read()
    async with aioftp.Client.context("127.0.0.1", port, user, password) as client:
        await client.make_directory("aioftp/b")
        await client.upload(sample, "aioftp/b/sample", write_into=True)
        info = await client.stat("aioftp/b/sample")
        if info.get("type") != "file" or int(info.get("size", -1)) != len(data):
            fail("aioftp: MLST of the upload said " + repr(info))
        listed = sorted([str(path) async for path, _ in client.list("aioftp", recursive=True)])
        if listed != ["aioftp/b", "aioftp/b/sample"]:
            fail("aioftp: recursive MLSD listed " + repr(listed))
        async with client.download_stream("aioftp/b/sample") as stream:
            if await stream.read() != data:
                fail("aioftp: download differs from upload")
        async with client.upload_stream("aioftp/s.txt") as stream:
            await stream.write(b"streamed\n")
        async with client.append_stream("aioftp/s.txt") as stream:
            await stream.write(b"more\n")
        async with client.download_stream("aioftp/s.txt", offset=9) as stream:
            if await stream.read() != b"more\n":
                fail("aioftp: APPE then REST 9 did not read the appended part")
        if not await client.is_dir("aioftp/b") or await client.exists("aioftp/nope"):
            fail("aioftp: is_dir/exists wrong")
        try:
            await client.download("aioftp/nope", "/dev/null", write_into=True)
            fail("aioftp: a missing file downloaded")
        except aioftp.StatusCodeError as e:
            if "550" not in e.received_codes:
                fail("aioftp: a missing file got " + repr(e.received_codes))
        await client.remove("aioftp")
        if await client.exists("aioftp"):
            fail("aioftp: remove left the tree")
    print("PASS aioftp")


def main():
    lib, port, user, password, sample = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    if lib == "ftputil":
        with_ftputil(port, user, password, sample)
    elif lib == "aioftp":
        asyncio.run(with_aioftp(port, user, password, sample))
    else:
        sys.exit("usage: ftp_libs.py ftputil|aioftp PORT USER PASSWORD SAMPLE-FILE")


if __name__ == "__main__":
    main()
