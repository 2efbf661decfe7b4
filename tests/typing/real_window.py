#!/usr/bin/env python3
"""Type into the real window as a clerk does, and check every value landed.

The kittests deliver each key's events in one frame; a real window splits a
key's press, its text and the next Tab across frames, or crowds several keys
into one. This test runs the release binary under Xvfb, types numbers with
xdotool into 表三 and 表四 at rhythms from 10 to 200 ms per key, reaching
cells by a click, by Tab, by Enter and by the arrow keys, saves with Ctrl+S,
reads the draft back through `nianbao export --to json` and requires every
value exact: no key lost, none doubled, none in the wrong cell.

    python3 tests/typing/real_window.py [--binary target/release/nianbao] [--ime]

--ime runs the same typing with fcitx5 and its pinyin input method active
(a Chinese IME passes digits through as commits). Needs: Xvfb, xdotool
(and fcitx5, fcitx5-chinese-addons, dbus-x11 for --ime). Standard library only.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

# 表三's editable rows in schema order (（七）总计 is derived) and its six
# leaf columns; 表四's blocks and their four leaf columns.
ROWS = [
    "new", "carried_over", "disclosed", "partly_disclosed",
    "withheld_state_secret", "withheld_prohibited", "withheld_security",
    "withheld_third_party", "withheld_internal", "withheld_process",
    "withheld_enforcement", "withheld_query", "unable_not_held",
    "unable_needs_creation", "unable_unclear", "declined_petition",
    "declined_repeated", "declined_publication", "declined_excessive",
    "declined_confirmation", "other_no_correction", "other_unpaid_fee",
    "other_misc", "carried_forward",
]
COLS = ["natural_person", "commercial", "research", "public_interest",
        "legal_service", "other_org"]
BLOCKS = ["review", "suit_direct", "suit_after_review"]
APPEAL_COLS = ["upheld", "corrected", "other", "pending"]
RHYTHMS = [10, 20, 40, 80, 150, 200]

# Screen positions in the window as nianbao lays it out at its first size
# (1280 × 680, no window manager, so at the top left of the screen).
NAV_REQUESTS = (96, 203)
FIRST_REQUEST_CELL = (573, 228)
FIRST_APPEAL_CELL = (231, 228)


class Window:
    def __init__(self, env, rng):
        self.env = env
        self.rng = rng
        self.keys = 0

    def run(self, *args):
        subprocess.run(["xdotool", *args], env=self.env, check=True)

    def click(self, xy):
        self.run("mousemove", str(xy[0]), str(xy[1]), "click", "1")
        # A clerk pauses after a click; sometimes hardly at all.
        time.sleep(self.rng.choice([0.05, 0.1, 0.3, 0.6]))

    def key(self, name, delay):
        self.run("key", "--delay", str(delay), name)
        self.keys += 1

    def type(self, text, delay):
        self.run("type", "--delay", str(delay), text)
        self.keys += len(text)


def value(rng):
    return str(rng.choice([rng.randint(0, 9), rng.randint(10, 99),
                           rng.randint(100, 999), rng.randint(1000, 9999)]))


def start_x(display, env):
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["xdotool", "getmouselocation"], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0:
            return xvfb
        time.sleep(0.05)
    xvfb.kill()
    sys.exit("Xvfb did not start")


def start_ime(env, home):
    """fcitx5 with pinyin as the default input method, on its own D-Bus."""
    profile = os.path.join(home, ".config", "fcitx5")
    os.makedirs(profile, exist_ok=True)
    with open(os.path.join(profile, "profile"), "w") as f:
        f.write("[Groups/0]\nName=Default\nDefault Layout=us\nDefaultIM=pinyin\n\n"
                "[Groups/0/Items/0]\nName=keyboard-us\nLayout=\n\n"
                "[Groups/0/Items/1]\nName=pinyin\nLayout=\n\n[GroupOrder]\n0=Default\n")
    out = subprocess.run(["dbus-launch", "--sh-syntax"], env=env, capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("DBUS_SESSION_BUS_ADDRESS="):
            env["DBUS_SESSION_BUS_ADDRESS"] = line.split("=", 1)[1].strip("';")
    env["XMODIFIERS"] = "@im=fcitx"
    env["GTK_IM_MODULE"] = env["QT_IM_MODULE"] = "fcitx"
    subprocess.Popen(["fcitx5", "-d", "--replace"], env=env,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default="target/release/nianbao")
    ap.add_argument("--ime", action="store_true")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--display", default=":73")
    args = ap.parse_args()
    for tool in ["Xvfb", "xdotool"] + (["fcitx5", "dbus-launch"] if args.ime else []):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed")
    binary = os.path.abspath(args.binary)
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="nianbao-typing-")
    env = dict(os.environ, DISPLAY=args.display, HOME=tmp, XDG_DATA_HOME=f"{tmp}/data",
               XDG_CONFIG_HOME=f"{tmp}/config", LANG="C.UTF-8")
    draft = os.path.join(tmp, "typed.nianbao")
    subprocess.run([binary, "new", "-o", draft, "--agency", "某某局", "--year", "2025"],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    xvfb = start_x(args.display, env)
    app = None
    started = time.time()
    try:
        if args.ime:
            start_ime(env, tmp)
        app = subprocess.Popen([binary, draft], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        win = subprocess.run(["xdotool", "search", "--sync", "--name", "nianbao"], env=env,
                             capture_output=True, text=True, check=True).stdout.split()[0]
        w = Window(env, rng)
        w.run("windowfocus", "--sync", win)
        if args.ime:
            subprocess.run(["fcitx5-remote", "-o"], env=env)
        time.sleep(1.0)
        want = {}
        typed = []

        def put(cell, delay):
            v = value(rng)
            w.type(v, delay)
            want[cell] = int(v)
            typed.append(cell)

        # 表三, rows 1-12 row by row with Tab, starting from a click.
        w.click(NAV_REQUESTS)
        w.click(FIRST_REQUEST_CELL)
        for row in ROWS[:12]:
            for col in COLS:
                d = rng.choice(RHYTHMS)
                put(f"requests.{row}.{col}", d)
                w.key("Tab", d)
        # Rows 13-24 column by column: down with Enter in even columns, with
        # the down arrow in odd ones; back up and right with the arrows.
        lower = ROWS[12:]
        for c, col in enumerate(COLS):
            down = "Return" if c % 2 == 0 else "Down"
            for k, row in enumerate(lower):
                d = rng.choice(RHYTHMS)
                put(f"requests.{row}.{col}", d)
                if k + 1 < len(lower):
                    w.key(down, d)
            if c + 1 < len(COLS):
                for _ in range(len(lower) - 1):
                    w.key("Up", 10)
                w.key("Right", rng.choice(RHYTHMS))
        # 表四 with Tab, from a click.
        w.key("ctrl+Next", 50)
        time.sleep(0.3)
        w.click(FIRST_APPEAL_CELL)
        for b in BLOCKS:
            for col in APPEAL_COLS:
                d = rng.choice(RHYTHMS)
                put(f"appeals.{b}.{col}", d)
                w.key("Tab", d)
        # Back to 表三: the first eight rows again, fast, over the old values.
        # The table is scrolled down by now, so the first cell is reached by
        # the keyboard: F8 jumps to the first R1 error (a 新收 cell), the left
        # arrow walks to 自然人.
        w.key("ctrl+Prior", 50)
        time.sleep(0.3)
        w.key("F8", 50)
        time.sleep(0.3)
        for _ in COLS:
            w.key("Left", 10)
        for row in ROWS[:8]:
            for col in COLS:
                d = rng.choice([10, 20])
                put(f"requests.{row}.{col}", d)
                w.key("Tab", d)
        time.sleep(0.3)
        w.key("ctrl+s", 50)
        time.sleep(1.0)
    finally:
        if app:
            app.terminate()
            app.wait(timeout=10)
        xvfb.terminate()
        if args.ime:
            subprocess.run(["pkill", "-f", "fcitx5"], stderr=subprocess.DEVNULL)
    got = json.loads(subprocess.run([binary, "export", draft, "--to", "json"], env=env,
                                    capture_output=True, text=True, check=True).stdout)
    wrong = []
    for cell, v in want.items():
        table, row, col = cell.split(".")
        have = got[table][row][col]
        if have != v:
            wrong.append(f"{cell}: typed {v}, saved {have}")
    took = time.time() - started
    print(f"typed {len(typed)} cells ({len(want)} distinct, {w.keys} keys, {RHYTHMS[0]}-{RHYTHMS[-1]} ms per key) "
          f"in {took:.0f} s{' with fcitx5 pinyin' if args.ime else ''}: {len(wrong)} wrong")
    for line in wrong[:20]:
        print("  " + line)
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
