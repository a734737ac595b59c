"""Shared pieces of the demo catalog: key orders, windows, phones, common materials and
the helpers the item tables use (see scripts/gen-demo-catalog.py)."""

ITEM_KEYS = ["basic_code", "impl_code", "handle_code", "name", "aliases", "keywords",
             "type_code", "level", "department", "domain", "service_object", "handling_forms",
             "case_kind", "statutory_limit", "promised_limit", "conditions", "legal_basis",
             "steps", "special_procedures", "visits", "cross_region", "result", "fees", "place",
             "hours", "consult_phone", "complaint_phone", "faq", "materials", "situations"]
MATERIAL_KEYS = ["key", "name", "kind", "form", "count", "requirement", "source", "standard",
                 "blank_form", "sample", "mistakes", "always"]

WINDOWS = {"社保医保": 1, "企业开办": 2, "建设项目": 3, "公共服务": 4, "不动产交易": 5,
           "社会事务": 6}
HOURS = "周一至周五 上午8:30—12:00，下午14:00—17:30（法定节假日除外）"
PHONES = {
    "人社局": "0379-66120301", "医保局": "0379-66120302", "市场监管局": "0379-66120303",
    "住建局": "0379-66120304", "自然资源局": "0379-66120305", "税务局": "0379-12366",
    "公安局": "0379-66120307", "民政局": "0379-66120308", "卫健委": "0379-66120309",
    "交通局": "0379-66120310", "城管局": "0379-66120311", "水利局": "0379-66120312",
}

ITEMS = []


def item(**spec):
    ITEMS.append(spec)


# Common materials by short name: (key, name, kind, form, count, requirement, source,
# standard, blank_form, sample, mistakes, always)
COMMON = {
    "id": dict(key="id_card", name="申请人居民身份证", kind="e_certificate", form="electronic",
               source="government",
               standard="在有效期内；电子证照库可调取的免于提交，无法调取的提供原件核验",
               mistakes=["身份证已过有效期", "复印件正反面不在同一页"]),
    "hukou": dict(key="hukou", name="居民户口簿", kind="e_certificate", form="electronic",
                  source="government", standard="户主页及本人页；电子证照库可调取的免于提交"),
    "license": dict(key="business_license", name="营业执照", kind="e_certificate",
                    form="electronic", source="government",
                    standard="由登记机关核发，电子营业执照可直接调取，免于提交"),
    "legal_id": dict(key="legal_rep_id", name="法定代表人居民身份证", kind="e_certificate",
                     form="electronic", source="government",
                     standard="在有效期内；电子证照库可调取的免于提交"),
    "poa": dict(key="power_of_attorney", name="授权委托书", kind="original", form="paper",
                standard="载明委托事项、权限和期限，委托人签字（单位加盖公章）",
                blank_form="授权委托书（空白）.pdf", sample="授权委托书（样表）.pdf",
                mistakes=["未写明委托权限", "委托人未亲笔签名"], always=False),
    "agent_id": dict(key="agent_id_card", name="代理人居民身份证", kind="original", form="paper",
                     standard="原件核验后退还", always=False),
    "photo": dict(key="photo", name="近期二寸免冠彩色照片", kind="original", form="paper",
                  count=2, standard="白色背景，六个月内拍摄"),
    "bank": dict(key="bank_card", name="本人社会保障卡或银行账户信息", kind="copy",
                 form="paper", standard="用于发放待遇，户名须为申请人本人",
                 mistakes=["账户户名与申请人不一致"]),
    "property": dict(key="property_cert", name="不动产权证书", kind="e_certificate",
                     form="electronic", source="government",
                     standard="登记簿记载的权利人与申请人一致；电子证照可调取的免于提交"),
    "marriage": dict(key="marriage_cert", name="结婚证", kind="e_certificate", form="electronic",
                     source="government", standard="电子证照库可调取的免于提交"),
    "birth_cert": dict(key="birth_cert", name="出生医学证明", kind="e_certificate",
                       form="electronic", source="government",
                       standard="由助产机构签发；电子证照可调取的免于提交"),
    "income": dict(key="income_statement", name="家庭收入及财产状况申报表", kind="original",
                   form="paper", blank_form="家庭收入及财产状况申报表（空白）.pdf",
                   sample="家庭收入及财产状况申报表（样表）.pdf",
                   standard="如实填写家庭成员收入、存款、车辆、房产，全体成员签字",
                   mistakes=["漏报家庭成员", "未签署授权核对承诺"]),
}


def material(spec):
    """A material from a short name of COMMON, or a tuple
    (key, name, kind, source, requirement, standard, extra dict)."""
    if isinstance(spec, str):
        base = dict(COMMON[spec])
    elif isinstance(spec, dict):
        base = dict(spec)
    else:
        key, name, *rest = spec
        base = dict(key=key, name=name)
        for k, v in zip(["kind", "source", "requirement", "standard"], rest):
            if v is not None and not isinstance(v, dict):
                base[k] = v
        if rest and isinstance(rest[-1], dict):
            base.update(rest[-1])
    m = {
        "key": base["key"],
        "name": base["name"],
        "kind": base.get("kind", "original"),
        "form": base.get("form", "electronic" if base.get("kind") == "e_certificate" else "paper"),
        "count": base.get("count", 1),
        "requirement": base.get("requirement", "required"),
        "source": base.get("source", "applicant"),
    }
    for k in ["standard", "blank_form", "sample", "mistakes", "always"]:
        if k in base:
            m[k] = base[k]
    return m


def cond(key, name, **kw):
    """A material that only some situations need."""
    d = dict(key=key, name=name, always=False)
    d.update(kw)
    return d


def step(name, share, role=None):
    s = {"name": name, "share": share}
    if role:
        s["role"] = role
    return s


def default_steps(kind, prom):
    if kind == "instant" or prom == 0:
        return [("受理", 0, "clerk"), ("审核办结", 0, "clerk")]
    if prom == 1:
        return [("受理审核", 1, "clerk")]
    if prom == 2:
        return [("受理", 1, "clerk"), ("审查决定", 1, "reviewer")]
    return [("受理", 1, "clerk"), ("审查", prom - 2, "reviewer"), ("决定", 1, "chief_rep")]


RESULT_KIND = {"证": "certificate", "照": "certificate", "批": "approval", "决定": "approval",
               "回执": "record", "备案": "record", "登记": "record", "金": "payment",
               "待遇": "payment", "补": "payment"}


def result(spec):
    name, kind = spec if isinstance(spec, tuple) else (spec, None)
    if kind is None:
        kind = next((v for k, v in RESULT_KIND.items() if k in name), "other")
    return {"name": name, "kind": kind, "sample": name + "（样本）.pdf"}


AGENT_Q = {"key": "agent", "text": "是否委托他人代为办理？",
           "options": [{"key": "self", "text": "本人办理", "materials": []},
                       {"key": "agent", "text": "委托代理人办理",
                        "materials": ["power_of_attorney", "agent_id_card"]}]}


def situations(spec, mats):
    """Questions from spec["q"]: [(key, text, [(okey, otext, [materials], next)])], with
    the agent question appended after every last answer unless spec["agent"] is False."""
    qs = []
    for key, text, opts in spec.get("q", []):
        qs.append({"key": key, "text": text, "options": [
            {"key": k, "text": t, "materials": list(ms), "next": n} for k, t, ms, n in opts]})
    agent = spec.get("agent", True)
    if agent:
        keys = {m["key"] for m in mats}
        if "power_of_attorney" not in keys:
            mats.append(material("poa"))
            mats.append(material("agent_id"))
        for q in qs:
            for o in q["options"]:
                if o["next"] is None:
                    o["next"] = "agent"
        qs.append({"key": "agent", "text": AGENT_Q["text"],
                   "options": [dict(o, materials=list(o["materials"])) for o in
                               AGENT_Q["options"]]})
    for q in qs:
        for o in q["options"]:
            if o.get("next") is None:
                o.pop("next", None)
    if not qs:
        return None
    return {"start": qs[0]["key"], "questions": qs}


def mt(key, name, std=None, **kw):
    """An applicant's material; kw may set kind, form, count, requirement, source,
    blank_form, sample, mistakes, always."""
    d = dict(key=key, name=name, **kw)
    if std:
        d["standard"] = std
    return d


def form(key, name, std="填写完整，申请人签字确认", **kw):
    """An application form with a blank form and a filled-in sample."""
    return mt(key, name, std, blank_form=name + "（空白）.pdf", sample=name + "（样表）.pdf", **kw)
