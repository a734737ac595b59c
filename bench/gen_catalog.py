#!/usr/bin/env python3
"""bench/gen_catalog.py - a synthetic catalog of N items for the search benchmark.

Writes catalog documents (docs/catalog-format.md) of CHUNK items each into OUT_DIR as
chunk-0000.json, chunk-0001.json, ... Items are valid under src/core/catalog.c's rules
and use the demo county's departments (short names), so they import into a `yichuang
demo` database. Names, aliases, keywords, materials and FAQ are built from a vocabulary
of real item words, so searches for common words hit many items, rare ones few.
Deterministic: the same N gives the same files.

usage: gen_catalog.py N OUT_DIR [CHUNK]
"""
import json
import os
import random
import sys

DEPTS = ["人社局", "医保局", "市场监管局", "住建局", "自然资源局", "税务局", "公安局",
         "民政局", "卫健委", "交通局", "城管局", "水利局"]
DOMAINS = ["社保医保", "企业开办", "建设项目", "公共服务", "不动产交易", "社会事务"]
SUBJECTS = ["养老保险", "医疗保险", "失业保险", "工伤保险", "生育津贴", "食品经营", "药品经营",
            "营业执照", "餐饮服务", "建筑施工", "工程规划", "消防验收", "不动产", "房屋交易",
            "抵押登记", "最低生活保障", "特困供养", "临时救助", "残疾人补贴", "高龄津贴",
            "户口迁移", "居民身份证", "出生医学证明", "道路运输", "出租汽车", "城市绿化",
            "占道施工", "取水许可", "河道采砂", "排水许可", "燃气经营", "广告设置"]
ACTIONS = ["登记", "变更", "注销", "许可", "备案", "申领", "核准", "延续", "补办", "审批",
           "确认", "认定"]
MATERIALS = ["身份证明", "申请表", "营业执照", "房屋产权证明", "委托书", "户口簿", "结婚证",
             "出生医学证明", "场所平面图", "设备清单", "健康证明", "合同", "检测报告"]
LEVELS = ["县级", "乡级"]
OBJECTS = ["自然人", "法人"]


def item(i, rng):
    subject = rng.choice(SUBJECTS)
    action = rng.choice(ACTIONS)
    dept = DEPTS[i % len(DEPTS)]
    promised = rng.choice([0, 3, 5, 10, 15, 20])
    case_kind = "instant" if promised == 0 else "promise"
    statutory = 0 if promised == 0 else promised + rng.choice([0, 5, 10])
    if promised:
        first = promised // 2
        steps = [{"name": "受理", "share": 0}, {"name": "审查", "share": first},
                 {"name": "决定", "share": promised - first}]
    else:
        steps = [{"name": "受理并办结", "share": 0}]
    mats = []
    for k, m in enumerate(rng.sample(MATERIALS, 3)):
        mats.append({"key": f"m{k + 1}", "name": f"{m}", "kind": rng.choice(["original", "copy"]),
                     "form": "paper", "count": 1,
                     "requirement": rng.choice(["required", "required", "optional"]),
                     "source": rng.choice(["applicant", "applicant", "government"])})
    return {
        "basic_code": f"9{i:09d}",
        "impl_code": f"9{i:09d}0001",
        "handle_code": "",
        "name": f"{subject}{action}第{i}号",
        "aliases": [f"{subject}{rng.choice(ACTIONS)}"],
        "keywords": [subject, action],
        "type_code": rng.choice(["01", "07", "20"]),
        "level": rng.choice(LEVELS),
        "department": dept,
        "domain": DOMAINS[i % len(DOMAINS)],
        "service_object": [rng.choice(OBJECTS)],
        "handling_forms": ["窗口"],
        "case_kind": case_kind,
        "statutory_limit": {"value": statutory, "unit": "working_day"},
        "promised_limit": {"value": promised, "unit": "working_day"},
        "conditions": [f"符合{subject}有关规定"],
        "legal_basis": [f"《{subject}管理办法》"],
        "steps": steps,
        "visits": rng.choice([0, 1]),
        "cross_region": "none",
        "result": {"name": f"{subject}{action}结果", "kind": "record"},
        "fees": [],
        "place": "县政务服务中心",
        "hours": "工作日 9:00-12:00 13:30-17:00",
        "consult_phone": "0371-12345678",
        "complaint_phone": "12345",
        "faq": [{"q": f"{subject}{action}需要多久？", "a": f"承诺{promised}个工作日内办结。"}],
        "materials": mats,
    }


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n, out = int(sys.argv[1]), sys.argv[2]
    chunk = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261202)
    for c, start in enumerate(range(0, n, chunk)):
        items = [item(i, rng) for i in range(start, min(n, start + chunk))]
        doc = {"format": "yichuang-catalog", "format_version": 1, "items": items, "bundles": []}
        with open(os.path.join(out, f"chunk-{c:04d}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
