"""Turns the pages pagetrace.c recorded into a symbol ordering file for the linker.

usage: order_from_pages.py BINARY PAGES OUTPUT

Every function symbol that overlaps a recorded page is listed once, in the order the pages were first
run, so the linker can place the code a run uses side by side. A page holds several functions and not
all of them ran: the list is a superset, the smaller the finer the input's sections are.
"""
import bisect
import subprocess
import sys


def text_segment_start(binary):
    for line in subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"] and "E" in fields[6:-1]:
            return (int(fields[2], 16) + 4095) & ~4095
    sys.exit(f"{binary}: no executable segment")


def functions(binary):
    listing = subprocess.run(["nm", "-S", "-n", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    symbols = []
    for line in listing.splitlines():
        fields = line.split(maxsplit=3)
        if len(fields) == 4 and fields[2] in "tTwW" and int(fields[1], 16) > 0:
            symbols.append((int(fields[0], 16), int(fields[1], 16), fields[3]))
    return symbols


def main(binary, pages_path, output):
    start = text_segment_start(binary)
    symbols = functions(binary)
    addresses = [address for address, _, _ in symbols]
    listed, order, seen_pages = set(), [], set()
    for line in open(pages_path):
        page = (start + int(line, 16)) & ~4095
        if page in seen_pages:
            continue
        seen_pages.add(page)
        index = max(bisect.bisect_right(addresses, page) - 1, 0)
        while index < len(symbols) and symbols[index][0] < page + 4096:
            address, size, name = symbols[index]
            if address + size > page and name not in listed:
                listed.add(name)
                order.append(name)
            index += 1
    with open(output, "w") as file:
        file.write("".join(name + "\n" for name in order))
    print(f"{len(seen_pages)} pages run, {len(order)} functions listed in {output}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
