"""Demo 一件事 bundles."""

BUNDLES = [
    dict(code="YJS0001", name="开办餐饮店", theme="开办餐饮店一件事",
         aliases=["开饭店", "开餐馆", "开饭馆", "开小吃店"], keywords=["餐饮", "开店", "营业执照", "食品经营许可"],
         lead="市场监管局", co=["税务局", "公安局", "城管局", "人社局"],
         items=["1102000001", "1102000002", "1108000001", "1107100002", "1103000001", "1105000005"],
         fields=[("enterprise_name", "企业名称", None), ("legal_rep", "法定代表人（经营者）", None),
                 ("address", "经营场所地址", None), ("phone", "联系电话", None),
                 ("business_scope", "经营范围", ["1102000001", "1102000002"]),
                 ("sign_text", "招牌文字", ["1108000001"]), ("staff_count", "从业人员人数", ["1102000002", "1105000005"])],
         output="营业执照、食品经营许可证、门头招牌设置审批决定、印章、发票及社保登记，统一出证窗口一次领取",
         limit=(5, "working_day"),
         desc="餐饮店开办所涉及的企业登记、食品经营许可、店招审批、刻章、税务和社保登记，一张表单、一套材料、一窗受理、并联审批。"),
    dict(code="YJS0002", name="新生儿出生一件事", theme="新生儿出生一件事",
         aliases=["宝宝出生", "新生儿办证", "孩子出生要办什么"], keywords=["新生儿", "出生", "落户", "医保", "社保卡"],
         lead="卫健委", co=["公安局", "医保局", "人社局"],
         items=["1106100001", "1107100004", "1106000001", "1105000004", "1106100004"],
         fields=[("baby_name", "新生儿姓名", None), ("baby_birth", "出生日期", None),
                 ("parents", "父母姓名及身份证号", None), ("hukou_address", "落户地址", ["1107100004"]),
                 ("bank", "社保卡金融账户开户银行", ["1105000004"])],
         output="出生医学证明、户口登记、医保参保登记和社会保障卡，可选择邮寄送达",
         limit=(3, "working_day"),
         desc="新生儿出生后，父母一次提交即可办理出生医学证明、出生登记、医保参保、社保卡申领和生育登记。"),
    dict(code="YJS0003", name="二手房转移登记及水电气过户", theme="二手房交易一件事",
         aliases=["二手房过户", "买二手房", "房屋过户水电气"], keywords=["二手房", "过户", "水电气", "契税"],
         lead="自然资源局", co=["住建局", "税务局"],
         items=["1101000007", "1103000003", "1107000001", "1101000005"],
         fields=[("seller", "出卖人姓名及身份证号", None), ("buyer", "买受人姓名及身份证号", None),
                 ("location", "房屋坐落", None), ("price", "成交价格（元）", ["1101000007", "1103000003", "1107000001"]),
                 ("utility_accounts", "水电气户号", ["1101000005"])],
         output="不动产权证书、契税完税证明和水电气过户回执",
         limit=(3, "working_day"),
         desc="网签备案、税费申报、转移登记和水电气过户一窗受理，登簿后自动推送供水、供电、燃气单位办理过户。"),
    dict(code="YJS0004", name="工程建设项目施工许可", theme="工程建设项目审批",
         aliases=["项目开工审批", "工程报建"], keywords=["施工许可", "规划许可", "消防设计审查"],
         lead="住建局", co=["自然资源局", "水利局"],
         items=["1107000003", "1101000002", "1109000001", "1101000001"],
         fields=[("project_name", "项目名称", None), ("project_code", "项目代码", None),
                 ("builder", "建设单位", None), ("scale", "建设规模", ["1107000003", "1101000001"])],
         output="建设工程规划许可证、消防设计审查意见书、水土保持方案审批决定书和建筑工程施工许可证",
         limit=(20, "working_day"),
         desc="施工许可阶段各审批事项并联办理，共享项目信息，一次提交。"),
    dict(code="YJS0005", name="困难群众救助一件事", theme="社会救助",
         aliases=["申请救助", "生活困难", "低保特困临时救助"], keywords=["救助", "低保", "特困", "临时救助"],
         lead="民政局", co=["医保局", "住建局"],
         items=["1105100001", "1105100003", "1101000006"],
         fields=[("applicant", "申请人姓名及身份证号", None), ("members", "家庭成员情况", None),
                 ("income", "家庭收入情况", ["1105100001", "1101000006"])],
         output="低保、临时救助审批决定和公租房资格确认通知",
         limit=(20, "working_day"),
         desc="困难群众一次申请，民政、住建部门共享家庭经济状况核对结果，联动救助。"),
]


def build(by_code, depts):
    out = []
    for b in BUNDLES:
        for d in [b["lead"]] + b["co"]:
            assert d in depts, d
        for c in b["items"]:
            assert c in by_code, c
        out.append({
            "code": b["code"],
            "name": b["name"],
            "theme": b["theme"],
            "aliases": b["aliases"],
            "keywords": b["keywords"],
            "lead_department": b["lead"],
            "co_departments": b["co"],
            "items": b["items"],
            "form_fields": [{"key": k, "label": lab, "items": its if its else list(b["items"])}
                            for k, lab, its in b["fields"]],
            "output": b["output"],
            "promised_limit": {"value": b["limit"][0], "unit": b["limit"][1]},
            "description": b["desc"],
        })
    return out
