"""Hand the student notebooks to a class on JupyterHub with nbgitpuller (for teachers).

A teacher publishes the student copies (``make notebooks`` writes them to
``build/notebooks/student*/``) as a branch of a git repository, pushes it, and
gives the class one link. A student who clicks it gets the notebooks in their
home folder on the hub; clicking it again later brings the teacher's updates
and keeps the student's own edits (nbgitpuller merges, preferring the
student's side). See ``docs/deployment.md``.

Command line::

    python -m course_utils.hub publish --src build/notebooks/student-zh --branch student
    python -m course_utils.hub link --hub https://hub.example.edu \\
        --repo https://git.example.edu/teacher/cnn-course.git --branch student

Examples
--------
>>> pull_link("https://hub.example.edu", "https://git.example.edu/t/cnn.git", "student")
'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgit.example.edu%2Ft%2Fcnn.git&branch=student&targetpath=cnn-course&app=lab'
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .i18n import bilingual, t
from .validate import text, value_error

#: Folder in each student's home that receives the notebooks.
DEFAULT_FOLDER = "cnn-course"
#: How long one git command may take (seconds); they are all local.
GIT_TIMEOUT = 60


def _check_url(value: object, name: str) -> str:
    value = text(value, name).strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise value_error(
            name, "以 http:// 或 https:// 开头的网址", "an http:// or https:// URL", value
        )
    return value.rstrip("/")


def _check_relative(value: object, name: str) -> str:
    value = text(value, name).strip().strip("/")
    if value.startswith("~") or ".." in Path(value).parts or "\\" in value:
        raise value_error(
            name, "家目录内的相对路径（不含 ..）", "a relative path inside the home (no ..)", value
        )
    return value


def pull_link(
    hub: str,
    repo: str,
    branch: str = "student",
    open_path: str | None = None,
    folder: str = DEFAULT_FOLDER,
) -> str:
    """The nbgitpuller link that puts `branch` of `repo` into each student's `folder`.

    Parameters
    ----------
    hub : str
        The hub's address, e.g. ``https://hub.example.edu`` (a hub served under
        a prefix, ``https://example.edu/jupyter``, works too).
    repo : str
        The git repository that students' servers clone: an ``https://`` URL
        for a real hub; a local path is accepted for tests.
    branch : str
        The branch that holds the student copies.
    open_path : str, optional
        A file inside the repository to open in JupyterLab after the pull
        (e.g. ``01_convolution.ipynb``); default: the folder itself.
    folder : str
        Folder in the student's home that receives the notebooks.

    Raises
    ------
    TypeError, ValueError
        A parameter of the wrong type, an address that is not http(s), or a
        path that leaves the home folder.
    """
    hub = _check_url(hub, "hub")
    repo = text(repo, "repo").strip()
    branch = text(branch, "branch").strip()
    if branch.startswith("-") or any(c.isspace() for c in branch):
        raise value_error("branch", "git 分支名", "a git branch name", branch)
    folder = _check_relative(folder, "folder")
    query = {"repo": repo, "branch": branch, "targetpath": folder, "app": "lab"}
    if open_path is not None:
        query["subpath"] = _check_relative(open_path, "open_path")
    return f"{hub}/hub/user-redirect/git-pull?{urlencode(query)}"


def _git(cwd: Path, *args: str, env: dict | None = None) -> str:
    """Run git in `cwd`; return its output, or raise RuntimeError with git's message."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=GIT_TIMEOUT,
        env={**os.environ, **(env or {})},
    )
    if done.returncode != 0:
        raise RuntimeError(
            bilingual(
                f"git {' '.join(args)} 失败：{done.stderr.strip()}",
                f"git {' '.join(args)} failed: {done.stderr.strip()}",
            )
        )
    return done.stdout.strip()


def publish_student_branch(
    src: str | os.PathLike,
    repo: str | os.PathLike = ".",
    branch: str = "student",
    message: str = "Student copies of the notebooks",
) -> str | None:
    """Commit the files of `src` as the next commit of `branch` in the git repository `repo`.

    The working tree, the index and the current branch of `repo` are left as
    they are (the commit is built with a temporary index). The branch is
    created when missing; each later call adds one commit on top, so the
    students' nbgitpuller can merge the update. Returns the new commit's id,
    or None when `src` holds exactly what the branch already has.

    Raises
    ------
    ValueError
        `src` is not a folder with at least one notebook, or `repo` is not a
        git repository.
    """
    src_path = Path(src)
    if not src_path.is_dir() or not any(src_path.glob("*.ipynb")):
        raise value_error(
            "src",
            "含有笔记本（.ipynb）的文件夹",
            "a folder that holds notebooks (.ipynb)",
            str(src),
        )
    repo_path = Path(repo)
    if not (repo_path / ".git").exists() and not (repo_path / "HEAD").is_file():
        raise value_error("repo", "git 仓库", "a git repository", str(repo))
    branch = text(branch, "branch").strip()
    ref = f"refs/heads/{branch}"
    git_dir = _git(repo_path, "rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "GIT_DIR": git_dir,
            "GIT_WORK_TREE": str(src_path.resolve()),
            "GIT_INDEX_FILE": str(Path(tmp) / "index"),
        }
        _git(src_path, "add", "--all", "--force", ".", env=env)
        tree = _git(src_path, "write-tree", env=env)
    parent = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", ref],
        cwd=repo_path,
        capture_output=True,
        text=True,
        timeout=GIT_TIMEOUT,
    ).stdout.strip()
    if parent and _git(repo_path, "rev-parse", f"{parent}^{{tree}}") == tree:
        return None
    author = {
        "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "course teacher"),
        "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", "teacher@localhost"),
    }
    author["GIT_COMMITTER_NAME"] = os.environ.get("GIT_COMMITTER_NAME", author["GIT_AUTHOR_NAME"])
    author["GIT_COMMITTER_EMAIL"] = os.environ.get(
        "GIT_COMMITTER_EMAIL", author["GIT_AUTHOR_EMAIL"]
    )
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    commit = _git(repo_path, *args, env=author)
    _git(repo_path, "update-ref", ref, commit, *([parent] if parent else []))
    return commit


def main(argv: list[str] | None = None) -> int:
    """``python -m course_utils.hub {link,publish} ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m course_utils.hub",
        description="用 nbgitpuller 把学生版笔记本发到 JupyterHub / "
        "Student notebooks on JupyterHub via nbgitpuller",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    link = sub.add_parser("link", help="print the link students click / 打印学生点击的链接")
    link.add_argument("--hub", required=True, help="the hub's address, https://...")
    link.add_argument("--repo", required=True, help="the repository students' servers clone")
    link.add_argument("--branch", default="student", help="branch with the student copies")
    link.add_argument(
        "--open", dest="open_path", help="notebook to open, e.g. 01_convolution.ipynb"
    )
    link.add_argument("--folder", default=DEFAULT_FOLDER, help="folder in each student's home")
    pub = sub.add_parser("publish", help="commit student copies to a branch / 把学生版提交到分支")
    pub.add_argument("--src", required=True, help="e.g. build/notebooks/student-zh")
    pub.add_argument("--repo", default=".", help="git repository (default: this one)")
    pub.add_argument("--branch", default="student")
    pub.add_argument("--message", default="Student copies of the notebooks")
    args = parser.parse_args(argv)
    try:
        if args.command == "link":
            print(pull_link(args.hub, args.repo, args.branch, args.open_path, args.folder))
            return 0
        commit = publish_student_branch(args.src, args.repo, args.branch, args.message)
    except (TypeError, ValueError, RuntimeError) as err:
        print(err, file=sys.stderr)
        return 2
    if commit is None:
        print(t(f"分支 {args.branch} 已是最新，未提交。", f"Branch {args.branch} is up to date."))
    else:
        print(
            t(
                f"已提交 {commit[:12]} 到分支 {args.branch}；"
                f"用 git push origin {args.branch} 推送。",
                f"Committed {commit[:12]} to branch {args.branch}; "
                f"push it with git push origin {args.branch}.",
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
