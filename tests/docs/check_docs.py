"""Checks that the documentation shows what the code prints and that its links lead somewhere.

    /usr/bin/python3 tests/docs/check_docs.py --cli build/release/aftermath [--root .]
        [--examples DIR] [--require-examples] [-v] [FILE.md ...]

Without FILE arguments it reads README.md and docs/*.md under --root. Standard library only.

1. Links. Every relative link and image (`[text](path)`, `[text](path#anchor)`, `[text](#anchor)`,
   `[id]: path`) outside code must name an existing file or directory inside the repository, and
   an anchor must be a heading of the target Markdown file (GitHub's rule: lower case, spaces to
   hyphens, punctuation dropped, `-1`, `-2` for repeats) or an `<a id="...">` in it. A link to a
   source file may carry a line anchor (`#L12`, `#L12-L20`). Absolute URLs are not fetched.

2. Outputs. A fenced block is checked when the line before it (blank lines between are allowed)
   is one of these markers, each on one line:

     <!-- output: COMMAND -->
         COMMAND runs in /bin/sh from the repository root. `aftermath` in it is the command under
         test (a shell function calling --cli), so a marker reads as what a reader types:
         <!-- output: aftermath project --profile examples/profile.json --format text -->
     <!-- example-output: COMMAND -->
         The same, but run in $SCRATCH (the examples write files where they run) with the built
         examples first on PATH (--examples; default: examples/ beside --cli):
         <!-- example-output: project_patient -->
     <!-- output exit=2: COMMAND -->  and  <!-- example-output exit=N: COMMAND -->
         The command must exit with N; without exit= it must exit with 0.

   `$SCRATCH` is a fresh empty directory for each block, removed afterwards, for the files a
   command writes; `LC_ALL` is `C.UTF-8` and stdin is empty. Only stdout is compared (write
   `2>&1` to show stderr), byte for byte with the block's lines, except that one trailing newline
   of stdout is ignored. When the block's first line starts with `$ `, it is the command as the
   reader types it and is not compared with the output: it must be the marker's COMMAND, or
   COMMAND without a leading `cd DIR && `.

Exit status 0 when everything holds; 1 naming every broken link, failed command and mismatch
(with a diff); 2 for bad arguments. An example that has not been built is reported and skipped,
unless --require-examples is given, which makes it a failure.
"""

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

MARKER = re.compile(r"^<!--\s*(output|example-output)(?:\s+exit=(\d+))?:\s*(.*?)\s*-->\s*$")
MARKER_START = re.compile(r"^<!--\s*(example-)?output")  # typos ("outputs:") are refused, not skipped
FENCE = re.compile(r"^(\s{0,3})(`{3,}|~{3,})(.*)$")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HTML_ANCHOR = re.compile(r"<a\s+(?:[^>]*\s)?(?:id|name)=\"([^\"]+)\"", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
LINE_ANCHOR = re.compile(r"^L\d+(-L\d+)?$")
TIMEOUT_SECONDS = 300


class Block:
    """A fenced block: where it starts, its marker (if any) and its lines."""

    def __init__(self, line, marker, info, lines):
        self.line = line  # 1-based line of the opening fence
        self.marker = marker  # (kind, exit_status, command, marker_line) or None
        self.info = info
        self.lines = lines


def split_markdown(text):
    """The fenced blocks of a Markdown text, the lines outside them (numbered), and problems."""
    blocks, prose, problems = [], [], []
    lines = text.split("\n")
    pending = None  # the last marker seen, waiting for its block
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence:
            indent, ticks, info = fence.groups()
            body = []
            j = i + 1
            closing = re.compile(r"^\s{0,3}" + re.escape(ticks[0]) + "{" + str(len(ticks)) + r",}\s*$")
            while j < len(lines) and not closing.match(lines[j]):
                body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j].lstrip())
                j += 1
            if j == len(lines):
                problems.append((i + 1, "a fenced block that is never closed"))
            blocks.append(Block(i + 1, pending, info.strip(), body))
            pending = None
            i = j + 1
            continue
        if MARKER_START.match(line.strip()):
            marker = MARKER.match(line.strip())
            if not marker:
                problems.append((i + 1, f"a marker this script cannot read (one line, `<!-- output[ exit=N]: COMMAND -->`): {line.strip()}"))
            else:
                if pending:
                    problems.append((pending[3], "a marker with no fenced block after it"))
                kind, status, command = marker.groups()
                if not command:
                    problems.append((i + 1, "a marker without a command"))
                pending = (kind, int(status) if status else 0, command, i + 1)
        elif line.strip() and pending:
            problems.append((pending[3], "a marker not followed by a fenced block"))
            pending = None
        prose.append((i + 1, line))
        i += 1
    if pending:
        problems.append((pending[3], "a marker with no fenced block after it"))
    return blocks, prose, problems


def heading_text(raw):
    """A heading as GitHub renders it to text: links to their text, code and emphasis unmarked."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", raw)
    text = re.sub(r"<[^>]+>", "", text)
    return text.replace("`", "").replace("*", "")


def slug(text):
    """GitHub's anchor for a heading text."""
    text = heading_text(text).strip().lower()
    kept = []
    for character in text:
        category = unicodedata.category(character)
        if character in "-_ " or category[0] in "LN" or category == "Mn":
            kept.append(character)
    return "".join(kept).replace(" ", "-")


def anchors_of(path, cache):
    """Every anchor a Markdown file offers."""
    if path not in cache:
        _, prose, _ = split_markdown(path.read_text(encoding="utf-8"))
        anchors, seen = set(), {}
        for _, line in prose:
            heading = HEADING.match(line)
            if heading:
                base = slug(heading.group(2))
                count = seen.get(base, 0)
                seen[base] = count + 1
                anchors.add(base if count == 0 else f"{base}-{count}")
            anchors.update(HTML_ANCHOR.findall(line))
        cache[path] = anchors
    return cache[path]


def check_links(path, prose, root, cache):
    """Problems with the relative links of one Markdown file."""
    problems = []
    for number, line in prose:
        visible = CODE_SPAN.sub("", line)
        targets = INLINE_LINK.findall(visible)
        definition = REFERENCE_DEFINITION.match(visible)
        if definition:
            targets.append(definition.group(1))
        for target in targets:
            if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target):
                continue  # an absolute URL or mailto:
            file_part, _, anchor = target.partition("#")
            destination = path if not file_part else (path.parent / file_part).resolve()
            where = f"{path.relative_to(root)}:{number}: link {target}"
            try:
                destination.relative_to(root)
            except ValueError:
                problems.append(f"{where}: leads outside the repository")
                continue
            if not destination.exists():
                problems.append(f"{where}: {destination.relative_to(root)} does not exist")
                continue
            if not anchor:
                continue
            if destination.suffix == ".md":
                if anchor not in anchors_of(destination, cache):
                    problems.append(f"{where}: no heading #{anchor} in {destination.relative_to(root)}")
            elif destination.is_dir() or not LINE_ANCHOR.match(anchor):
                problems.append(f"{where}: #{anchor} is not a line anchor (#L12) of a file")
    return problems


def shown_command(command):
    """What a reader types: the command without a leading `cd DIR && `."""
    match = re.match(r"^cd\s+\S+\s+&&\s+(.*)$", command)
    return match.group(1) if match else command


def run_block(block, root, cli, examples):
    """Runs a marked block's command; returns (problem, diff) or None when it matches."""
    kind, expected_status, command, _ = block.marker
    expected = list(block.lines)
    if expected and expected[0].startswith("$ "):
        typed = expected.pop(0)[2:]
        if typed not in (command, shown_command(command)):
            return f"its first line `$ {typed}` is not its command `{command}`", None
    scratch = Path(tempfile.mkdtemp(prefix="aftermath-docs-"))
    try:
        env = dict(os.environ, AFTERMATH_CLI=str(cli), SCRATCH=str(scratch), LC_ALL="C.UTF-8")
        cwd = root
        if kind == "example-output":
            env["PATH"] = f"{examples}{os.pathsep}{env.get('PATH', '')}"
            cwd = scratch
        script = 'aftermath() { "$AFTERMATH_CLI" "$@"; }\n' + command + "\n"
        try:
            result = subprocess.run(["/bin/sh", "-c", script], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            return f"did not finish within {TIMEOUT_SECONDS} s", None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    output = result.stdout.decode("utf-8", errors="replace")
    if output.endswith("\n"):
        output = output[:-1]
    problems = []
    if result.returncode != expected_status:
        stderr = result.stderr.decode("utf-8", errors="replace").strip()
        problems.append(f"exited with {result.returncode}, not {expected_status}" + (f"; stderr: {stderr[:2000]}" if stderr else ""))
    diff = None
    if output != "\n".join(expected):
        actual = output.split("\n") if output else []
        problems.append("printed something else")
        diff = "\n".join(difflib.unified_diff(expected, actual, "shown", "printed", lineterm="", n=2))
    return ("; ".join(problems), diff) if problems else None


def example_program(command):
    """The example a command starts with (its first word)."""
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    return words[0] if words else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", required=True, help="the aftermath command to run")
    parser.add_argument("--root", default=".", help="the repository root (default: .)")
    parser.add_argument("--examples", help="the built examples (default: examples/ beside --cli)")
    parser.add_argument("--require-examples", action="store_true", help="fail, not skip, when an example is not built")
    parser.add_argument("-v", "--verbose", action="store_true", help="name every block checked")
    parser.add_argument("files", nargs="*", help="Markdown files (default: README.md and docs/*.md)")
    arguments = parser.parse_args()

    root = Path(arguments.root).resolve()
    cli = Path(arguments.cli).resolve()
    if not cli.is_file() or not os.access(cli, os.X_OK):
        print(f"check_docs: --cli {arguments.cli} is not an executable file", file=sys.stderr)
        return 2
    examples = Path(arguments.examples).resolve() if arguments.examples else cli.parent / "examples"
    files = [Path(f).resolve() for f in arguments.files] or [root / "README.md"] + sorted((root / "docs").glob("*.md"))

    failures, skipped, checked, cache = [], [], 0, {}
    for path in files:
        name = path.relative_to(root)
        blocks, prose, problems = split_markdown(path.read_text(encoding="utf-8"))
        failures += [f"BROKEN {name}:{line}: {problem}" for line, problem in problems]
        failures += [f"BROKEN {problem}" for problem in check_links(path, prose, root, cache)]
        for block in blocks:
            if not block.marker:
                continue
            kind, _, command, marker_line = block.marker
            where = f"{name}:{marker_line}: {kind}: {command}"
            if kind == "example-output":
                program = example_program(command)
                if not program or not os.access(examples / program, os.X_OK):
                    message = f"{where}: example {program} is not built in {examples}"
                    if arguments.require_examples:
                        failures.append(f"BROKEN {message}")
                    else:
                        skipped.append(message)
                    continue
            checked += 1
            outcome = run_block(block, root, cli, examples)
            if arguments.verbose:
                print(f"{'FAIL' if outcome else 'ok  '} {where}")
            if outcome:
                problem, diff = outcome
                failures.append(f"MISMATCH {where}: {problem}" + (f"\n{diff}" if diff else ""))

    for message in skipped:
        print(f"skipped (not built): {message}")
    for message in failures:
        print(message)
    print(f"check_docs: {len(files)} files, {checked} outputs run, {len(skipped)} skipped, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
