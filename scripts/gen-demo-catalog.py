#!/usr/bin/env python3
"""Generate share/demo/catalog.json, the demo county's service catalog, from the compact
tables in scripts/demo_catalog/ (items by domain, bundles). The output is the catalog
document of docs/catalog-format.md: keys in the fixed order, items sorted by basic code.

Usage: python3 scripts/gen-demo-catalog.py [output]   (default share/demo/catalog.json)
       python3 scripts/gen-demo-catalog.py --check    (exit 1 if the file is not up to date)
"""
import json
import os
import sys

sys.dont_write_bytecode = True

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "demo_catalog"))

import common  # noqa: E402
from common import ITEM_KEYS, MATERIAL_KEYS  # noqa: E402
import items_social  # noqa: E402,F401  (each module registers its items)
import items_business  # noqa: E402,F401
import items_public  # noqa: E402,F401
import bundles  # noqa: E402

county = json.load(open(os.path.join(ROOT, "share/demo/county.json"), encoding="utf-8"))
depts = {d["short_name"]: d for d in county["departments"]}


def fail(msg):
    sys.exit("gen-demo-catalog: " + msg)


def build_item(spec):
    d = depts.get(spec["dept"]) or fail("unknown department " + spec["dept"])
    code = spec["code"]
    impl = d["credit_code"] + code + "000"
    kind = spec.get("kind", "promise")
    stat, prom, unit = spec.get("limits", (0, 0, "working_day"))
    if kind == "instant":
        stat, prom = 0, 0
    steps = spec.get("steps") or common.default_steps(kind, prom)
    if sum(s[1] for s in steps) != prom:
        fail(f"{code}: step shares {sum(s[1] for s in steps)} != promised {prom}")
    mats = [common.material(m) for m in spec["materials"]]
    situations = common.situations(spec, mats)
    keys = [m["key"] for m in mats]
    if len(set(keys)) != len(keys):
        fail(f"{code}: duplicate material keys")
    if situations:
        used = {k for q in situations["questions"] for o in q["options"] for k in o["materials"]}
        for m in mats:
            if m.get("always") is False and m["key"] not in used:
                fail(f"{code}: conditional material {m['key']} is chosen by no option")
        if not used <= set(keys):
            fail(f"{code}: options refer to unknown materials {used - set(keys)}")
    else:
        for m in mats:
            m.pop("always", None)
    window = common.WINDOWS[spec["domain"]]
    item = {
        "basic_code": code,
        "impl_code": impl,
        "handle_code": impl + "01",
        "name": spec["name"],
        "aliases": spec.get("aliases", []),
        "keywords": spec.get("keywords", []),
        "type_code": spec.get("type", "20"),
        "level": spec.get("level", "县级"),
        "department": spec["dept"],
        "domain": spec["domain"],
        "service_object": spec.get("objects", ["自然人"]),
        "handling_forms": spec.get("forms", ["窗口", "网办"]),
        "case_kind": kind,
        "statutory_limit": {"value": stat, "unit": unit},
        "promised_limit": {"value": prom, "unit": unit},
        "conditions": spec["conditions"],
        "legal_basis": spec["basis"],
        "steps": [common.step(*s) for s in steps],
        "special_procedures": [
            {"name": n, "kind": k, "max_days": days} for n, k, days in spec.get("special", [])
        ],
        "visits": spec.get("visits", 1),
        "cross_region": spec.get("cross", "none"),
        "result": common.result(spec["result"]),
        "fees": [{"name": n, "amount_fen": a, "basis": b} for n, a, b in spec.get("fees", [])],
        "place": f"示范县政务服务中心一楼{window}号{spec['domain']}综合窗口（人民路88号）",
        "hours": common.HOURS,
        "consult_phone": common.PHONES[spec["dept"]],
        "complaint_phone": "0379-12345",
        "faq": [{"q": q, "a": a} for q, a in spec.get("faq", [])],
        "materials": mats,
    }
    if situations:
        item["situations"] = situations
    assert [k for k in ITEM_KEYS if k in item] == list(item)
    for m in mats:
        assert all(k in MATERIAL_KEYS for k in m)
    return item


def main():
    check = sys.argv[1:] == ["--check"]
    default = os.path.join(ROOT, "share/demo/catalog.json")
    out = sys.argv[1] if len(sys.argv) > 1 and not check else default
    items = sorted((build_item(s) for s in common.ITEMS), key=lambda i: i["basic_code"])
    codes = [i["basic_code"] for i in items]
    if len(set(codes)) != len(codes):
        fail("duplicate basic codes")
    by_code = {i["basic_code"]: i for i in items}
    for ci in county["items"]:
        it = by_code.get(ci["basic_code"]) or fail("county item missing: " + ci["basic_code"])
        if it["name"] != ci["name"] or it["department"] != ci["department"]:
            fail("county item differs: " + ci["basic_code"])
    bs = sorted(bundles.build(by_code, depts), key=lambda b: b["code"])
    doc = {"format": "yichuang-catalog", "format_version": 1, "items": items, "bundles": bs}
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if check:
        with open(out, encoding="utf-8") as f:
            if f.read() != text:
                fail(f"{out} is not what the tables give: run python3 scripts/gen-demo-catalog.py")
        print(f"{out}: up to date ({len(items)} items, {len(bs)} bundles)")
        return
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{out}: {len(items)} items, {len(bs)} bundles")


if __name__ == "__main__":
    main()
