#!/usr/bin/env python3
"""Check the importers against whole public corpora, each file against an independent reading of it.

    python tools/corpora_check.py                        # the corpora in ../shared/corpora, when present
    python tools/corpora_check.py --corpora DIR --us2016 DIR_OR_TAR.XZ [--version 2]

What it checks (docs/import.md, "Checked on the corpora"):

- US2016 (AIF, every nodeset alone): no person whose only acts on a claim ask, challenge or
  disagree holds it; with schema version 2, every RA node of two or more premises is one argument
  holding all of them, for its conclusion;
- microtexts (arggraph XML, every file alone): every ADU is an entry or a premise of one, and every
  sup, exa, reb, und and add edge is kept between the same ADUs;
- Carneades (YAML, every file alone): it imports, and `policyx check` accepts the result.

The independent reading is this file's own: it parses the corpus files with json, ElementTree and
PyYAML, not with policyx's readers. It prints one line per corpus and each failure; exit status 1 if
any check fails. Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyx.importers import InputFile, import_files, to_yaml  # noqa: E402
from policyx.importers.dispatch import WRITES  # noqa: E402
from policyx.kb.errors import KnowledgeBaseError  # noqa: E402

HOLDING = {"asserting", "affirming", "arguing", "default illocuting", "ad verecundiam", "agreeing", "conceding",
           "popular conceding"}
NOT_HOLDING = {"pure questioning", "assertive questioning", "rhetorical questioning", "directive questioning",
               "questioning", "pure challenging", "assertive challenging", "rhetorical challenging", "challenging",
               "disagreeing", "contradicting", "rejecting", "disaffirming", "ad hominem"}
_PREFIX = re.compile(r"\s*([^:\n]{1,60}?)\s?:\s?")
_PREFIX_AIFDB = re.compile(r"\s*[A-Z][A-Za-z .'-]{0,59}? : ")  # a further prefix, a name ("ARTICLE 5 : " is none)
COUNTS: Counter[str] = Counter()


def words(text: str) -> str:
    return " ".join(text.split())


def speaker(text: str) -> str | None:
    """The innermost "Name :" prefix of an L-node: this checker's own, simpler reading."""
    name = None
    rest = text
    while (match := _PREFIX.match(rest)) and len(match.group(1).split()) <= 4 and not match.group(1).endswith("?"):
        name, rest = match.group(1).strip(), rest[match.end():]
        if not _PREFIX.match(rest):
            break
    return name


def unprefixed(text: str) -> str:
    """An L-node's words without its speaker prefixes (the innermost "Name : " and those before it)."""
    rest = text
    while (match := _PREFIX.match(rest)) and len(match.group(1).split()) <= 4 and not match.group(1).endswith("?"):
        rest = rest[match.end():]
        if not _PREFIX_AIFDB.match(rest):
            break
    return words(rest)


# --------------------------------------------------------------------------
# US2016


def us2016_files(where: Path) -> Iterator[tuple[str, bytes]]:
    if where.is_dir():
        for path in sorted(where.glob("*.json")):
            yield path.name, path.read_bytes()
        return
    with tarfile.open(where) as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if member.isfile() and member.name.endswith(".json"):
                handle = archive.extractfile(member)
                if handle is not None:
                    yield Path(member.name).name, handle.read()


def holders_of(document: dict[str, Any]) -> dict[str, set[str]]:
    """claim -> names of the actors the import says hold it (held_by, by, holding acts)."""
    names = {a["id"]: a["name"] for a in document.get("actors", [])}
    held: dict[str, set[str]] = {}
    for entry in (*document.get("positions", []), *document.get("arguments", [])):
        who = set(entry.get("held_by", [])) | ({entry["by"]} if entry.get("by") else set())
        who |= {a["by"] for a in entry.get("acts", []) if a["act"] in ("asserts", "agrees", "concedes")}
        if entry.get("premises"):  # a linked argument's `by` is its premises' speaker, not its claim's
            who = set()
            for premise in entry["premises"]:
                if premise.get("by"):
                    held.setdefault(words(premise["claim"]), set()).add(names.get(premise["by"], premise["by"]))
        held.setdefault(words(entry["claim"]), set()).update(names.get(w, w) for w in who)
    return held


def stands_for(document: dict[str, Any]) -> dict[str, set[str]]:
    """what a relation or restatement names -> the claim it stands for: an entry's id its claim, and
    ARGUMENT.PREMISE (a premise of a linked argument, docs/schema.md) that premise's claim."""
    found = {}
    for entry in (*document.get("positions", []), *document.get("arguments", [])):
        found[entry["id"]] = {words(entry["claim"])}
        for premise in entry.get("premises", []):
            if "id" in premise:
                found[f"{entry['id']}.{premise['id']}"] = {words(premise["claim"])}
    return found


def check_us2016_file(name: str, data: bytes, version: int) -> list[str]:
    raw = json.loads(data)
    nodes = {str(n["nodeID"]): n for n in raw["nodes"]}
    into: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    for edge in raw["edges"]:
        a, b = str(edge["fromID"]), str(edge["toID"])
        if a in nodes and b in nodes:
            out.setdefault(a, []).append(b)
            into.setdefault(b, []).append(a)
    kind = {k: n["type"] for k, n in nodes.items()}
    acts: dict[str, dict[str, set[str]]] = {}  # claim words -> speaker -> illocutions
    for key, node in nodes.items():
        if node["type"] != "YA":
            continue
        illocution = words(node["text"]).lower()
        sayers = [k for k in into.get(key, []) if kind[k] == "L"]
        for ta in (k for k in into.get(key, []) if kind[k] == "TA"):
            sayers += [k for k in out.get(ta, []) if kind[k] == "L"][:1]
        for claim in (k for k in out.get(key, []) if kind[k] == "I"):
            for sayer in sayers[:1]:
                who = speaker(nodes[sayer]["text"])
                if who:
                    acts.setdefault(words(nodes[claim]["text"]), {}).setdefault(who, set()).add(illocution)
    result = import_files([InputFile(name, data)], version=version)
    held = holders_of(result.document)
    problems = []
    for claim, by_speaker in acts.items():
        for who, said in by_speaker.items():
            COUNTS["speakers who only asked, challenged or disagreed"] += said <= NOT_HOLDING
            if said <= NOT_HOLDING and who in held.get(claim, set()):
                problems.append(f"{name}: {who} only {', '.join(sorted(said))} {claim!r}, yet holds it")
    if version >= 2:
        problems += check_linked(name, nodes, into, out, result.document)
    return problems


def check_linked(name: str, nodes: dict[str, Any], into: dict[str, list[str]], out: dict[str, list[str]],
                 document: dict[str, Any]) -> list[str]:
    """Every RA node of two or more I-node premises is one argument with all of them, for its conclusion."""
    claims_of = stands_for(document)
    kept: set[tuple[frozenset[str], str]] = set()
    for argument in document.get("arguments", []):
        if argument.get("premises"):
            targets = argument.get("for", [])
            for target in [targets] if isinstance(targets, str) else targets:
                kept |= {(frozenset(words(p["claim"]) for p in argument["premises"]), claim)
                         for claim in claims_of[target]}
    problems = []
    for key, node in nodes.items():
        COUNTS["linked inferences (RA nodes of 2+ I-node premises)"] += node["type"] == "RA" and len(
            {k for k in into.get(key, []) if nodes[k]["type"] == "I"}) > 1
        if node["type"] != "RA":
            continue
        premises = frozenset(words(nodes[k]["text"]) for k in into.get(key, []) if nodes[k]["type"] == "I")
        conclusions = [words(nodes[k]["text"]) for k in out.get(key, []) if nodes[k]["type"] == "I"]
        if len(premises) < 2 or any(c in premises for c in conclusions):
            continue
        for conclusion in conclusions:  # (a locution the RA links as a premise too is one more premise)
            if not any(premises <= held and conclusion == claim for held, claim in kept):
                problems.append(f"{name}: RA node {key}: premises {sorted(premises)} for {conclusion!r} "
                                "are not one argument")
    return problems


def graph_of(raw: dict[str, Any], further: bool = False) -> dict[str, set[Any]]:
    """This checker's reading of an AIF map: its claims, supports (premise set, conclusion), attacks,
    undercuts (attacker, the premise set of the step attacked) and restatements, by their texts.

    A locution an RA, CA or MA node links instead of a claim stands for the claims it anchors (through
    its YA node), or, anchoring none, for its own words (the speaker's prefix taken off): so premise
    sets are compared exactly, a locution premise included. With ``further`` (policyx's own export,
    docs/import.md, "Round trips"), an RA or CA node whose only premise is another RA or CA node is a
    further relation of that node's premises; in the corpus such a node has no premise (left out)."""
    nodes = {str(n["nodeID"]): n for n in raw["nodes"]}
    into: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    for edge in raw["edges"]:
        a, b = str(edge["fromID"]), str(edge["toID"])
        if a in nodes and b in nodes:
            out.setdefault(a, []).append(b)
            into.setdefault(b, []).append(a)
    kind = {k: n["type"] for k, n in nodes.items()}

    def anchored(key: str) -> set[str]:
        if kind[key] == "I":
            return {words(nodes[key]["text"])}
        if kind[key] != "L":
            return set()
        found = {words(nodes[i]["text"]) for ya in out.get(key, []) if kind[ya] == "YA"
                 for i in out.get(ya, []) if kind[i] == "I"}
        return found or {unprefixed(nodes[key]["text"])}

    def claims(keys: list[str]) -> frozenset[str]:
        return frozenset(text for k in keys for text in anchored(k))

    found: dict[str, set[Any]] = {"claims": {words(n["text"]) for n in nodes.values() if n["type"] == "I"},
                                  "supports": set(), "attacks": set(), "undercuts": set(), "restatements": set()}
    for key, node in nodes.items():
        premises = claims(into.get(key, []))
        if further and not premises:
            feeding = [k for k in into.get(key, []) if kind[k] in ("RA", "CA")]
            premises = claims(into.get(feeding[0], [])) if len(feeding) == 1 else premises
        if node["type"] not in ("RA", "CA", "MA") or not premises:
            continue
        for target in out.get(key, []):
            kind_of = nodes[target]["type"]
            if kind_of in ("I", "L"):
                for ends in (into.get(key, []), [target]):  # a locution linked as a claim is a claim
                    found["claims"] |= {t for k in ends if kind[k] == "L" for t in anchored(k)}
                for conclusion in anchored(target) - premises:  # (a node relating a claim to itself: nothing)
                    if node["type"] == "RA":
                        found["supports"].add((premises, conclusion))
                    elif node["type"] == "CA":
                        found["attacks"] |= {(p, conclusion) for p in premises}
                    else:
                        found["restatements"] |= {(p, conclusion) for p in premises}
            elif kind_of in ("RA", "CA") and node["type"] == "CA":
                found["undercuts"] |= {(p, claims(into.get(target, []))) for p in premises}
    return found


def check_round_trip(name: str, data: bytes) -> list[str]:
    """import, then `export -f aif`: the same claims, supports (premise sets), attacks, undercuts and
    restatements as the file (those aimed at a premise of a linked argument at that premise), and
    no others."""
    from policyx.kb.load import build
    from policyx.output.aif import aif_document

    raw = json.loads(data)
    result = import_files([InputFile(name, data)], version=2)
    back = graph_of(aif_document(build(result.document, "kb.yaml")), further=True)
    first = graph_of(raw)
    premises = {words(p["claim"]) for e in result.document.get("arguments", []) for p in e.get("premises", [])
                if "id" in p}
    COUNTS["round trip: premises named by others (ARGUMENT.PREMISE)"] += len(premises)
    problems = []
    for what, wanted in first.items():
        COUNTS[f"round trip: {what} in the files"] += len(wanted)
        missing = wanted - back[what]
        COUNTS[f"round trip: {what} given back"] += len(wanted) - len(missing)
        for item in sorted(missing, key=repr):
            COUNTS[f"round trip: {what} not given back"] += 1
            problems.append(f"{name}: {what[:-1]} not given back by export -f aif: {_shown(item)}")
        for item in sorted(back[what] - wanted, key=repr):
            COUNTS[f"round trip: {what} the file does not have, in the export"] += 1
            problems.append(f"{name}: {what[:-1]} in export -f aif that the file does not have: {_shown(item)}")
    return problems


def _shown(item: Any) -> str:
    shown = tuple(sorted(x) if isinstance(x, frozenset) else x for x in item) if isinstance(item, tuple) else item
    return repr(shown)[:300]


# --------------------------------------------------------------------------
# microtexts


def check_microtext(path: Path, version: int) -> list[str]:
    root = ET.parse(path).getroot()
    edus = {e.get("id"): words(e.text or "") for e in root.findall("edu")}
    segs: dict[str, list[str]] = {}
    edges = {e.get("id"): (e.get("src"), e.get("trg"), e.get("type")) for e in root.findall("edge")}
    for src, trg, kind in edges.values():
        if kind == "seg":
            segs.setdefault(str(trg), []).append(edus[src])
    text = {adu.get("id"): " ".join(segs.get(str(adu.get("id")), [])) for adu in root.findall("adu")}
    document = import_files([InputFile(path.name, path.read_bytes())], version=version).document
    entries = {e["id"]: e for e in (*document.get("positions", []), *document.get("arguments", []))}
    seen = {words(e["claim"]) for e in entries.values()}
    seen |= {words(p["claim"]) for e in entries.values() for p in e.get("premises", [])}
    problems = [f"{path.name}: ADU {a} ({t!r}) is no entry" for a, t in text.items() if t not in seen]
    links: set[tuple[str, str, str]] = set()  # (claim, how, target's claim), each premise of a linked one too
    claims_of = stands_for(document)
    for entry in entries.values():
        sources = [words(p["claim"]) for p in entry.get("premises", [])] or [words(entry["claim"])]
        for how in ("for", "against", "undercuts"):
            targets = entry.get(how, [])
            for target in [targets] if isinstance(targets, str) else targets:
                links |= {(s, how, t) for s in sources for t in claims_of[target]}
    for ident, (src, trg, kind) in edges.items():
        if kind in ("sup", "exa", "reb"):
            wanted = (text[src], "for" if kind != "reb" else "against", text[trg])
        elif kind == "add":
            joined = edges[trg]
            wanted = (text[src], "for" if joined[2] != "reb" else "against", text[joined[1]])
        elif kind == "und":
            undercut = edges[trg]
            while undercut[2] == "add":
                undercut = edges[undercut[1]]
            how = "undercuts" if version >= 2 else "against"
            wanted = (text[src], how, text[undercut[0]])
            if version >= 2 and wanted not in links:  # an undercut of a linked argument names its first premise
                wanted = next((w for w in links if w[0] == text[src] and w[1] == how), wanted)
        else:
            continue
        if wanted not in links:
            problems.append(f"{path.name}: edge {ident} ({kind}) is not kept: {wanted}")
    return problems


# --------------------------------------------------------------------------
# Carneades


def check_carneades(path: Path, version: int, folder: Path) -> list[str]:
    result = import_files([InputFile(path.name, path.read_bytes())], version=version,
                          sources_dir=f"{path.stem}-sources")
    for name, text in result.sources.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    kb = folder / f"{path.stem}.yaml"
    kb.write_text(to_yaml(result, [path.name]), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "policyx", "check", str(kb)], capture_output=True, text=True,
                          check=False, cwd=ROOT)
    return [] if done.returncode == 0 else [f"{path.name}: check says: {done.stderr.strip()[-500:]}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent.parent / "shared" / "corpora")
    parser.add_argument("--us2016", type=Path, help="a folder of US2016 nodesets, or its .tar.xz")
    parser.add_argument("--version", type=int, default=WRITES, help="the schema version to import to")
    options = parser.parse_args()
    us2016 = options.us2016 or options.corpora / "us2016-aif.tar.xz"
    failures: list[str] = []
    if us2016.exists():
        count, found = 0, []
        for name, data in us2016_files(us2016):
            count += 1
            try:
                found += check_us2016_file(name, data, options.version)
                if options.version >= 2:
                    found += check_round_trip(name, data)
            except KnowledgeBaseError as exc:
                found.append(f"{name}: does not import: {exc}")
        print(f"US2016: {count} nodesets, {len(found)} problem(s); checked: "
              + ", ".join(f"{what}: {n}" for what, n in COUNTS.items()))
        failures += found
    micro = options.corpora / "microtexts"
    if micro.is_dir():
        files = sorted(micro.glob("*.xml"))
        found = [p for path in files for p in check_microtext(path, options.version)]
        print(f"microtexts: {len(files)} texts, {len(found)} problem(s)")
        failures += found
    carneades = options.corpora / "carneades"
    if carneades.is_dir():
        with tempfile.TemporaryDirectory(prefix="policyx-carneades-") as folder:
            files = sorted(carneades.glob("*.y*ml"))
            found = [p for path in files for p in check_carneades(path, options.version, Path(folder))]
        print(f"Carneades: {len(files)} graphs, {len(found)} problem(s)")
        failures += found
    for failure in failures[:50]:
        print("  " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
