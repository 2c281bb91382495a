#!/usr/bin/env python3
"""Checks for tests/cli/shell-sync.sh: the generated man page and zsh
completion against what the program prints itself (`imgaudit --help`,
`imgaudit help COMMAND`), never against the generator or its tables.

  check_shell_sync.py man HELPDIR MANPAGE
  check_shell_sync.py zsh HELPDIR SPECDIR

HELPDIR holds main.txt (--help) and COMMAND.txt (help COMMAND) for each
command; `man` also writes HELPDIR/man-environment.txt, the variables in
ENVIRONMENT one a line, which the shell test matches against the
sources. SPECDIR holds what the zsh completion passed to _arguments for
each command (COMMAND.txt, one spec a line) and to _describe at the top
level (top-commands.txt, top-options.txt) and after `help`
(help-topics.txt). Prints one line per check, "PASS name" or
"FAIL name: why", and exits 0."""
import os
import re
import sys


# ---- what the program says

def help_options(text):
    """{long name: (short, metavar, description)} from an Options: block."""
    opts, cur, in_opts = {}, None, False
    for line in text.split("\n"):
        if line == "Options:":
            in_opts = True
            continue
        if not in_opts:
            continue
        if line == "":
            break
        m = re.match(r"^(?:  -([A-Za-z]), |      )--([a-z][a-z0-9-]*)"
                     r"(?: ([A-Z][^ ]*))?(?: +(.*))?$", line)
        if m:
            cur = m.group(2)
            opts[cur] = [m.group(1) or "", m.group(3) or "", m.group(4) or ""]
        elif cur and line.startswith(" " * 31):
            opts[cur][2] = (opts[cur][2] + " " + line.strip()).strip()
        else:
            raise SystemExit(f"cannot read help line: {line!r}")
    return {k: tuple(v) for k, v in opts.items()}


def help_commands(text):
    """{name: summary}, with help from its usage line."""
    cmds, in_cmds = {}, False
    for line in text.split("\n"):
        if line == "Commands:":
            in_cmds = True
            continue
        if in_cmds:
            if line == "":
                break
            m = re.match(r"^  ([a-z]+) +(.*)$", line)
            cmds[m.group(1)] = m.group(2)
    if re.search(r"^  imgaudit help COMMAND$", text, re.M):
        cmds["help"] = None
    return cmds


def spellings(opts):
    out = set()
    for name, (short, _, _) in opts.items():
        out.add("--" + name)
        if short:
            out.add("-" + short)
    return out


class Checks:
    def __init__(self):
        self.lines = []

    def check(self, name, ok, why=""):
        self.lines.append(f"PASS {name}" if ok else f"FAIL {name}: {why}")

    def same_set(self, name, got, want):
        got, want = set(got), set(want)
        self.check(name, got == want,
                   f"missing {sorted(want - got)}, extra {sorted(got - want)}")


def load_help(helpdir):
    main = open(os.path.join(helpdir, "main.txt"), encoding="utf-8").read()
    cmds = help_commands(main)
    per = {}
    for c in cmds:
        if c != "help":
            per[c] = help_options(open(os.path.join(helpdir, c + ".txt"), encoding="utf-8").read())
    return main, cmds, help_options(main), per


# ---- the man page (roff source)

def unroff(s):
    s = re.sub(r"\\f[BIRP]", "", s)
    for a, b in (("\\-", "-"), ("\\~", " "), ("\\(aq", "'"), ("\\&", ""), ("\\e", "\\")):
        s = s.replace(a, b)
    return s


def man_sections(text):
    secs, cur = {}, None
    for line in text.split("\n"):
        if line.startswith(".SH "):
            cur = line[4:].strip('"')
            secs[cur] = []
        elif cur:
            secs[cur].append(line)
    return secs


def tp_entries(lines):
    """[(tag, [body lines])] of the .TP paragraphs in 'lines'."""
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith(".TP"):
            body, j = [], i + 2
            while j < len(lines) and not re.match(r"^\.(TP|SS|PP|SH)\b", lines[j]):
                body.append(lines[j])
                j += 1
            out.append((lines[i + 1], body))
            i = j
        else:
            i += 1
    return out


def bold_words(tag):
    return [unroff(w) for w in re.findall(r"\\fB(.*?)\\fR", tag)] or \
        ([unroff(tag[3:].strip())] if tag.startswith(".B ") else [])


def normal(s):
    """A description with case and final period aside: the man page
    writes help's lines as sentences."""
    s = " ".join(s.split())
    s = s[:1].lower() + s[1:]
    return s[:-1] if s.endswith(".") else s


def check_man(helpdir, path):
    c = Checks()
    main, cmds, main_opts, per = load_help(helpdir)
    text = open(path, encoding="utf-8").read()
    secs = man_sections(text)
    for s in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "ENVIRONMENT",
              "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"):
        c.check(f"man section {s}", s in secs, "missing")

    # NAME: the first line of --help.
    first = main.split("\n")[0]
    tagline = first.split(": ", 1)[1]
    c.check("man NAME", any(unroff(l) == "imgaudit - " + tagline for l in secs.get("NAME", [])),
            f"no 'imgaudit - {tagline}'")

    # SYNOPSIS: one .SY per command, and --version.
    syn = secs.get("SYNOPSIS", [])
    syn_cmds = [unroff(re.match(r"^\\fB(.*?)\\fR", syn[i + 1]).group(1))
                for i in range(len(syn)) if syn[i] == ".SY imgaudit"]
    c.same_set("man SYNOPSIS commands", syn_cmds,
               list(cmds) + [o for o in ("--version",) if "version" in main_opts])

    # COMMANDS: every command with --help's summary.
    entries = tp_entries(secs.get("COMMANDS", []))
    got = {bold_words(tag)[0]: body for tag, body in entries}
    c.same_set("man COMMANDS", got, cmds)
    for name, summary in cmds.items():
        if summary and name in got:
            c.check(f"man COMMANDS {name} summary", normal(unroff(" ".join(got[name]))) ==
                    normal(summary), f"{' '.join(got[name])!r} vs {summary!r}")

    # OPTIONS: every option of --help, with its short name, metavar and
    # text, and under it exactly the commands whose help lists it.
    man_opts = {}
    for tag, body in tp_entries(secs.get("OPTIONS", [])):
        m = re.match(r"^(?:-([A-Za-z]), )?--([a-z][a-z0-9-]*)(?: (\S+))?$", unroff(tag))
        if not m:
            c.check("man OPTIONS tag", False, f"cannot read {tag!r}")
            continue
        desc = " ".join(l for l in body if not l.startswith(".") and not l.startswith("Commands:"))
        applies = [l for l in body if l.startswith("Commands:")]
        man_opts[m.group(2)] = (m.group(1) or "", m.group(3) or "", unroff(desc),
                                unroff(applies[0]) if applies else "")
    c.same_set("man OPTIONS", man_opts, main_opts)
    for name, (short, meta, desc) in main_opts.items():
        if name not in man_opts:
            continue
        ms, mm, md, applies = man_opts[name]
        c.check(f"man --{name} short and metavar", (ms, mm) == (short, meta),
                f"{(ms, mm)} vs --help {(short, meta)}")
        c.check(f"man --{name} text", normal(md) == normal(desc), f"{md!r} vs {desc!r}")
        want = {k for k, o in per.items() if name in o}
        m = re.match(r"^Commands: (.*)\.$", applies)
        if not m:
            c.check(f"man --{name} commands", False, f"no 'Commands:' line: {applies!r}")
            continue
        listed = m.group(1)
        got = set(per) if listed == "all" else set() if listed.startswith("none") \
            else set(listed.split(", "))
        c.same_set(f"man --{name} commands", got, want)

    # EXIT STATUS: the codes of --help.
    codes = re.findall(r"^  ([0-9]+)  ", main.split("Exit codes:\n", 1)[1], re.M)
    got = [bold_words(tag)[0] for tag, _ in tp_entries(secs.get("EXIT STATUS", []))]
    c.same_set("man EXIT STATUS", got, codes)

    # ENVIRONMENT: the variables --help names for credentials (the others
    # the sources read are checked by the shell test).
    env = set()
    for tag, _ in tp_entries(secs.get("ENVIRONMENT", [])):
        env.update(bold_words(tag))
    cred = main.split("Credentials come only", 1)[1].split("\n\n", 1)[0]
    named = set(re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", cred))
    c.check("man ENVIRONMENT credentials", named and named <= env,
            f"--help names {sorted(named - env)}, not in ENVIRONMENT")
    open(os.path.join(helpdir, "man-environment.txt"), "w").write("\n".join(sorted(env)) + "\n")

    # EXAMPLES: only options and commands that exist.
    ex = unroff("\n".join(secs.get("EXAMPLES", [])))
    used = set(re.findall(r"(?<![\w-])--([a-z][a-z0-9-]*)", ex))
    c.check("man EXAMPLES options", used and used <= set(main_opts),
            f"unknown {sorted(used - set(main_opts))}")
    used = set(re.findall(r"^imgaudit ([a-z]+)", ex, re.M))
    c.check("man EXAMPLES commands", used and used <= set(cmds),
            f"unknown {sorted(used - set(cmds))}")
    return c


# ---- the zsh completion (what it passed to _arguments and _describe)

def zsh_option(spec):
    """'(-r --rules)*--rules=[text]:FILE:_files' -> ('--rules', 'text', 'FILE', '_files')."""
    s = re.sub(r"^\*?(\([^)]*\))?\*?", "", spec)
    m = re.match(r"^(-[A-Za-z]|--[a-z][a-z0-9-]*)(=|\+|-)?(?:\[((?:\\.|[^\]\\])*)\])?(.*)$", s)
    if not m:
        return None
    rest = m.group(4).split(":", 2) if m.group(4) else []
    return (m.group(1), re.sub(r"\\(.)", r"\1", m.group(3) or ""),
            rest[1] if len(rest) > 1 else "", rest[2] if len(rest) > 2 else "")


def check_zsh(helpdir, specdir):
    c = Checks()
    main, cmds, main_opts, per = load_help(helpdir)

    def lines(name):
        p = os.path.join(specdir, name)
        return [l for l in open(p, encoding="utf-8").read().split("\n") if l] \
            if os.path.exists(p) else []

    top = [l.split(":", 1)[0] for l in lines("top-commands.txt")]
    c.same_set("zsh commands", top, cmds)
    topics = [l.split(":", 1)[0] for l in lines("help-topics.txt")]
    c.same_set("zsh help topics", topics, [k for k in cmds if k != "help"])
    top_opts = [l.split(":", 1)[0] for l in lines("top-options.txt")]
    only_main = {k: v for k, v in main_opts.items() if not any(k in o for o in per.values())}
    c.same_set("zsh options before a command", top_opts,
               spellings(only_main) | {"--help", "-h"})
    for cmd, opts in per.items():
        args = lines(cmd + ".txt")
        specs = args[args.index(":") + 1:] if ":" in args else args     # _arguments -S : ...
        specs = [l for l in specs if not l.startswith("*:") and not re.match(r"^[0-9]+:", l)]
        parsed = [zsh_option(s) for s in specs]
        c.check(f"zsh {cmd} specs readable", all(parsed), f"{specs}")
        parsed = [p for p in parsed if p]
        c.same_set(f"zsh {cmd} options", [p[0] for p in parsed], spellings(opts))
        for name, (short, meta, desc) in opts.items():
            for p in parsed:
                if p[0] == "--" + name:
                    c.check(f"zsh {cmd} --{name} text and metavar",
                            (p[1], p[2]) == (desc, meta), f"{p[1:3]} vs {(desc, meta)}")
        files = [p[0] for p in parsed if p[3].startswith("_files")]
        want = [s for n, (sh, m, _) in opts.items() if m in ("FILE", "DIR") or "." in m
                for s in (["--" + n] + (["-" + sh] if sh else []))]
        c.same_set(f"zsh {cmd} file arguments", files, want)
    return c


def main():
    what, helpdir, path = sys.argv[1:4]
    c = check_man(helpdir, path) if what == "man" else check_zsh(helpdir, path)
    print("\n".join(c.lines))


if __name__ == "__main__":
    main()
