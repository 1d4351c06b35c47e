#!/usr/bin/env python3
"""Drives Python's ftplib against the Wharf engine for the interop suite.

Usage: ftplib_client.py PORT plain|ftps ACTION [ARGS...]
Prints one JSON object on stdout; a failure exits non-zero with the traceback
on stderr. FTPS is explicit (AUTH TLS) with PROT P and an unverified context
(the test certificate is self-signed); ftplib never resumes TLS sessions on
data connections, which the engine must accept.
"""
import ftplib
import hashlib
import json
import ssl
import sys

HOST = "127.0.0.1"
USER = "interop"
PASSWORD = "Interop4Wharf"
TIMEOUT = 20


def make_client(mode):
    if mode != "ftps":
        return ftplib.FTP(timeout=TIMEOUT)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return ftplib.FTP_TLS(context=context, timeout=TIMEOUT)


def connect(port, mode):
    ftp = make_client(mode)
    ftp.connect(HOST, port)
    ftp.login(USER, PASSWORD)  # FTP_TLS.login sends AUTH TLS first
    if mode == "ftps":
        ftp.prot_p()
    return ftp


def sha256_of_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def action_list(ftp, directory):
    lines = []
    ftp.retrlines("LIST " + directory if directory != "." else "LIST", lines.append)
    return {"lines": lines}


def action_mlsd(ftp, directory):
    entries = {name: facts for name, facts in ftp.mlsd(directory, ["type", "size", "modify", "unique", "unix.mode"])}
    return {"entries": entries}


def action_mkdir_cwd_upload(ftp, directory, local, remote):
    created = ftp.mkd(directory)
    ftp.cwd(directory)
    pwd = ftp.pwd()
    with open(local, "rb") as handle:
        reply = ftp.storbinary("STOR " + remote, handle)
    return {"mkd": created, "pwd": pwd, "reply": reply}


def action_download(ftp, remote, local):
    with open(local, "wb") as handle:
        reply = ftp.retrbinary("RETR " + remote, handle.write)
    return {"reply": reply, "sha256": sha256_of_file(local)}


def action_download_active(ftp, remote, local):
    ftp.set_pasv(False)  # PORT (EPRT on IPv6) to the client's own address
    return action_download(ftp, remote, local)


def action_resume_download(ftp, remote, local):
    with open(local, "ab") as handle:
        offset = handle.tell()
        reply = ftp.retrbinary("RETR " + remote, handle.write, rest=offset)
    return {"reply": reply, "offset": offset, "sha256": sha256_of_file(local)}


def action_resume_upload(ftp, local, remote):
    offset = ftp.size(remote)
    with open(local, "rb") as handle:
        handle.seek(offset)
        reply = ftp.storbinary("STOR " + remote, handle, rest=offset)
    return {"reply": reply, "offset": offset}


def action_append(ftp, local, remote):
    with open(local, "rb") as handle:
        reply = ftp.storbinary("APPE " + remote, handle)
    return {"reply": reply}


def action_rename_delete_rmdir(ftp, source, target, directory):
    replies = [ftp.rename(source, target), ftp.delete(target), ftp.rmd(directory)]
    try:
        ftp.delete(target)
        missing = "no error"
    except ftplib.error_perm as error:
        missing = str(error)
    return {"replies": replies, "deleteMissing": missing}


def action_times(ftp, remote, stamp):
    return {
        "mfmt": ftp.sendcmd("MFMT " + stamp + " " + remote),
        "mdtm": ftp.sendcmd("MDTM " + remote),
        "size": ftp.size(remote),
    }


def action_hash(ftp, remote, algorithm):
    replies = {}
    if algorithm:
        replies["opts"] = ftp.sendcmd("OPTS HASH " + algorithm)
    replies["hash"] = ftp.sendcmd("HASH " + remote)
    return replies


def action_bad_login(port, mode):
    ftp = make_client(mode)
    ftp.connect(HOST, port)
    try:
        ftp.login(USER, "wrong")
        return {"error": None}
    except ftplib.error_perm as error:
        return {"error": str(error)}
    finally:
        ftp.close()


ACTIONS = {
    "list": action_list,
    "mlsd": action_mlsd,
    "mkdir_cwd_upload": action_mkdir_cwd_upload,
    "download": action_download,
    "download_active": action_download_active,
    "resume_download": action_resume_download,
    "resume_upload": action_resume_upload,
    "append": action_append,
    "rename_delete_rmdir": action_rename_delete_rmdir,
    "times": action_times,
    "hash": action_hash,
}


def main():
    port, mode, action, *args = sys.argv[1:]
    port = int(port)
    if action == "bad_login":
        result = action_bad_login(port, mode)
    else:
        ftp = connect(port, mode)
        try:
            result = ACTIONS[action](ftp, *args)
            result["tls"] = mode == "ftps" and isinstance(ftp.sock, ssl.SSLSocket)
        finally:
            ftp.quit()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
