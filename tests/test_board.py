"""The Board's stage (issue 14): `review --accept | --return`, the Council's votes, what `awards`
shows at each stage, `decide` warning on a proposal the Council did not pass, and a returned file
submitted again as version 2.

Every refusal is held to its message, its exit code and a database left as it was.
"""

import csv
import io
import json
from pathlib import Path

from conftest import query, snapshot

CUM_I = "Cụm I - Các tổ chức tín dụng"
CUM_II = "Cụm thi đua II - Các doanh nghiệp Trung ương"
AGRIBANK = "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Lạng Sơn"
BIDV = "Ngân hàng TMCP Đầu tư và Phát triển chi nhánh tỉnh Lạng Sơn"


def _refused(run, db: Path, args: list[str], stderr: str, code: int = 3) -> None:
    before = snapshot(db)
    result = run(*args)
    assert (result.exit_code, result.stderr) == (code, stderr)
    assert snapshot(db) == before


def _stages(run, *options: str) -> list[tuple[str, str, str, str]]:
    result = run("awards", "-y", "2020", "-f", "csv", *options)
    assert result.exit_code == 0, result.output
    return [
        (r["Đơn vị"], r["Ban Thi đua - Khen thưởng"], r["Hội đồng Thi đua - Khen thưởng"],
         r["Giai đoạn"])
        for r in csv.DictReader(io.StringIO(result.stdout))
    ]  # fmt: skip


def _accept(run, cluster: str = "Cụm I") -> None:
    done = run("review", "-c", cluster, "-y", "2020", "--accept", "--date", "08/01/2021")
    assert done.exit_code == 0, done.output


def test_the_board_receives_a_file_once(run, sample: Path) -> None:
    done = run("review", "-c", "Cụm I", "-y", "2020", "--accept", "--date", "08/01/2021")
    assert (done.exit_code, done.stderr) == (
        0,
        f"Ngày 08/01/2021, Ban Thi đua - Khen thưởng đã tiếp nhận hồ sơ {CUM_I}, năm 2020,"
        " lần 1.\n",
    )
    assert query(sample, "SELECT action, reviewed_on, reason FROM review") == [
        ("accept", "2021-01-08", None)
    ]
    _refused(
        run, sample, ["review", "-c", "Cụm I", "-y", "2020", "--accept"],
        f"Lỗi: Ban Thi đua - Khen thưởng đã tiếp nhận hồ sơ năm 2020 của {CUM_I} (lần 1) ngày"
        " 08/01/2021.\n",
    )  # fmt: skip
    assert _stages(run, "-c", "Cụm I") == [
        (AGRIBANK, "tiếp nhận ngày 08/01/2021", "", "Ban đã tiếp nhận"),
        (BIDV, "tiếp nhận ngày 08/01/2021", "", "Ban đã tiếp nhận"),
    ]


def test_what_the_board_cannot_do(run, sample: Path) -> None:
    review = ["review", "-c", "Cụm I", "-y", "2020"]
    _refused(run, sample, review, "Lỗi: Hãy dùng --accept hoặc --return.\n", code=2)
    _refused(run, sample, [*review, "--accept", "--return"],
             "Lỗi: Hãy dùng --accept hoặc --return.\n", code=2)  # fmt: skip
    _refused(run, sample, [*review, "--accept", "--reason", "x"],
             "Lỗi: --reason chỉ dùng với --return.\n", code=2)  # fmt: skip
    _refused(run, sample, [*review, "--return"],
             "Lỗi: Hãy nêu lý do trả lại hồ sơ: --reason NỘI DUNG.\n", code=2)  # fmt: skip
    _refused(
        run, sample, ["review", "-c", "Cụm I", "-y", "2021", "--accept"],
        f"Lỗi: {CUM_I} chưa nộp hồ sơ tổng kết năm 2021 để Ban Thi đua - Khen thưởng tiếp nhận.\n",
    )  # fmt: skip
    _refused(
        run, sample, [*review, "--accept", "--date", "01/01/2021"],
        "Lỗi: Không thể tiếp nhận ngày 01/01/2021 một hồ sơ nộp ngày 05/01/2021.\n",
    )  # fmt: skip
    decided = run("decide", "-y", "2020", "-u", "Agribank Lạng Sơn", "--award", "co_thi_dua",
                  "--decision", "12/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    assert decided.exit_code == 0, decided.output
    _refused(
        run, sample, [*review, "--return", "--reason", "Thiếu biên bản"],
        f"Lỗi: Hồ sơ năm 2020 của {CUM_I} đã có quyết định khen thưởng; không thể trả lại.\n",
    )  # fmt: skip


def test_a_returned_file_is_submitted_again_as_version_2(run, sample: Path) -> None:
    returned = run("review", "-c", "Cụm II", "-y", "2020", "--return", "--reason",
                   "Thiếu biên bản họp", "--date", "08/01/2021")  # fmt: skip
    assert returned.exit_code == 0, returned.output
    assert returned.stderr.splitlines()[0] == (
        f"Ngày 08/01/2021, Ban Thi đua - Khen thưởng đã trả lại hồ sơ {CUM_II}, năm 2020, lần 1:"
        " Thiếu biên bản họp"
    )
    assert query(
        sample,
        "SELECT s.version, s.status, s.withdrawn_reason, r.action, r.reason FROM submission s"
        " JOIN review r ON r.submission_id = s.id",
    ) == [
        (1, "withdrawn", "Ban Thi đua - Khen thưởng trả lại: Thiếu biên bản họp", "return",
         "Thiếu biên bản họp"),
    ]  # fmt: skip
    assert query(
        sample,
        "SELECT count(*) FROM cluster_lock l JOIN cluster c ON c.id = l.cluster_id"
        " WHERE c.name = ? AND l.year = 2020",
        (CUM_II,),
    ) == [(0,)]
    rows = list(csv.DictReader(io.StringIO(run("awards", "-y", "2020", "-c", "Cụm II",
                                              "-f", "csv").stdout)))  # fmt: skip
    assert {r["Hồ sơ"] for r in rows} == {
        "dự thảo; hồ sơ lần 1 bị Ban Thi đua - Khen thưởng trả lại ngày 08/01/2021: Thiếu biên"
        " bản họp"
    }
    data = json.loads(run("awards", "-y", "2020", "-c", "Cụm II", "-f", "json").stdout)
    assert data[0]["returned"] == {
        "version": 1,
        "date": "2021-01-08",
        "reason": "Thiếu biên bản họp",
    }
    # the cluster may now change its data, then submit the next version
    again = run("submit", "-c", "Cụm II", "-y", "2020", "--date", "12/01/2021")
    assert again.exit_code == 0, again.output
    assert "lần 2, ngày 12/01/2021" in again.stderr
    history = run("history", "--cluster", "Cụm II", "-f", "json")
    assert history.exit_code == 0, history.output
    assert "Ban Thi đua - Khen thưởng trả lại: Thiếu biên bản họp" in history.stdout
    assert [s[3] for s in _stages(run, "-c", "Cụm II")] == ["đã nộp", "đã nộp"]


def test_the_council_votes_on_received_proposals_only(run, sample: Path, tmp_path: Path) -> None:
    council = ["council", "set", "-y", "2020", "-u", "Agribank Lạng Sơn", "--award", "co_thi_dua"]
    _refused(
        run, sample, [*council, "--agree", "7", "--members", "9"],
        f"Lỗi: Ban Thi đua - Khen thưởng chưa tiếp nhận hồ sơ năm 2020 của {CUM_I} (lần 1):"
        " thidua review --cluster ... --year 2020 --accept.\n",
    )  # fmt: skip
    _accept(run)
    _refused(
        run, sample, [*council, "--agree", "10", "--members", "9"],
        "Lỗi: Số thành viên đồng ý (10) không được lớn hơn số thành viên Hội đồng (9).\n",
    )  # fmt: skip
    _refused(
        run, sample,
        ["council", "set", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "co_thi_dua",
         "--agree", "7", "--members", "9"],
        f"Lỗi: {BIDV} không được đề nghị Cờ thi đua của UBND tỉnh trong hồ sơ năm 2020 của"
        f" {CUM_I}.\n",
    )  # fmt: skip
    bad = tmp_path / "hoi-dong.csv"
    bad.write_text(
        "đơn vị,hình thức,số phiếu đồng ý,số thành viên\n"
        "Agribank Lạng Sơn,co_thi_dua,7,9\nBIDV Lạng Sơn,bang_khen,x,9\n"
        "Công ty Điện lực Lạng Sơn,co_thi_dua,5,9\n",
        encoding="utf-8",
    )
    _refused(
        run, sample, ["council", "import", str(bad), "-y", "2020"],
        f"Lỗi: Chưa nhập {bad}; không có gì được ghi. 2 lỗi:\n"
        "  - dòng 3, cột “số phiếu đồng ý”: “x” không phải số nguyên\n"
        "  - dòng 4, cột “đơn vị”: Ban Thi đua - Khen thưởng chưa tiếp nhận hồ sơ năm 2020 của"
        f" {CUM_II} (lần 1): thidua review --cluster ... --year 2020 --accept.\n",
    )  # fmt: skip
    good = tmp_path / "hoi-dong-dung.csv"
    good.write_text(
        "đơn vị,hình thức,số phiếu đồng ý,số thành viên\n"
        "Agribank Lạng Sơn,co_thi_dua,7,9\nBIDV Lạng Sơn,Bằng khen,4,9\n",
        encoding="utf-8",
    )
    done = run("council", "import", str(good), "-y", "2020", "--date", "15/01/2021")
    assert (done.exit_code, done.stderr) == (
        0,
        "Đã ghi kết quả biểu quyết của Hội đồng đối với 2 đề nghị: 1 thông qua, 1 không thông"
        " qua.\n",
    )
    assert _stages(run, "--stage", "council") == [
        (AGRIBANK, "tiếp nhận ngày 08/01/2021", "7/9 đồng ý (77,78%): thông qua",
         "Hội đồng đã biểu quyết"),
        (BIDV, "tiếp nhận ngày 08/01/2021", "4/9 đồng ý (44,44%): không thông qua",
         "Hội đồng đã biểu quyết"),
    ]  # fmt: skip
    assert [row[0] for row in _stages(run, "--stage", "reviewed")] == []
    assert len(_stages(run, "--stage", "submitted")) == 8  # the three other clusters' proposals
    data = json.loads(run("awards", "-y", "2020", "-c", "Cụm I", "-f", "json").stdout)
    assert [(r["stage"], r["council"]) for r in data] == [
        ("council", {"agree": 7, "members": 9, "date": "2021-01-15", "passed": True}),
        ("council", {"agree": 4, "members": 9, "date": "2021-01-15", "passed": False}),
    ]
    assert data[0]["review"] == {"action": "accept", "date": "2021-01-08", "reason": None}
    # a vote given again, before the decision, says what it replaces
    again = run(*council, "--agree", "5", "--members", "9", "--date", "16/01/2021")
    assert (again.exit_code, again.stderr) == (
        0,
        f"{AGRIBANK}, Cờ thi đua của UBND tỉnh: 5/9 đồng ý (55,56%): thông qua. Thay cho kết quả"
        " đã ghi trước đó: 7/9 đồng ý (77,78%): thông qua.\n",
    )


_NOT_PASSED = (
    f"Hội đồng không thông qua đề nghị Bằng khen của Chủ tịch UBND tỉnh cho {BIDV}"
    " (4/9 đồng ý (44,44%): không thông qua)."
)
_DECIDE_BIDV = ["decide", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
                "--decision", "12/QĐ-UBND", "--date", "20/01/2021"]  # fmt: skip


def _council_refuses_bidv(run) -> None:
    _accept(run)
    assert run("council", "set", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
               "--agree", "4", "--members", "9").exit_code == 0  # fmt: skip


def test_decide_refuses_a_grant_the_council_did_not_pass_unless_asked(run, sample: Path) -> None:
    _council_refuses_bidv(run)
    _refused(
        run, sample, _DECIDE_BIDV,
        f"Lỗi: {_NOT_PASSED}\n  - Chưa ghi gì. Nếu vẫn khen thưởng: thêm --against-council.\n",
    )  # fmt: skip
    # not granting it needs no leave
    rejected = run("decide", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
                   "--rejected", "--date", "20/01/2021")  # fmt: skip
    assert rejected.exit_code == 0, rejected.output
    decided = run(*_DECIDE_BIDV, "--replace", "--against-council")
    assert decided.exit_code == 0, decided.output
    assert decided.stderr.splitlines() == [
        f"{BIDV}, Bằng khen của Chủ tịch UBND tỉnh năm 2020: 12/QĐ-UBND, 20/01/2021: được khen."
        " Khen thưởng dù Hội đồng không thông qua (4/9 đồng ý (44,44%): không thông qua).",
    ]
    assert query(sample, "SELECT granted, decision_no FROM decision WHERE unit_id ="
                 " (SELECT id FROM unit WHERE short_name = 'BIDV Lạng Sơn')"
                 ) == [("bang_khen", "12/QĐ-UBND")]  # fmt: skip
    # once decided, the Council's vote stays as it was
    _refused(
        run, sample,
        ["council", "set", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
         "--agree", "8", "--members", "9"],
        f"Lỗi: Bằng khen của Chủ tịch UBND tỉnh của {BIDV} đã có quyết định; kết quả biểu quyết"
        " của Hội đồng giữ nguyên.\n",
    )  # fmt: skip


def test_decide_asks_at_a_terminal_before_granting_against_the_council(
    run, sample: Path, monkeypatch
) -> None:
    from thidua_cli.cli import decisions

    _council_refuses_bidv(run)
    monkeypatch.setattr(decisions, "_at_terminal", lambda: True)
    before = snapshot(sample)
    declined = run(*_DECIDE_BIDV, input="n\n")
    assert declined.exit_code == 3
    assert declined.stderr == (
        f"Lưu ý: {_NOT_PASSED}\nVẫn khen thưởng? (y: có; n hoặc Enter: không):Lỗi: Chưa ghi gì.\n"
    )
    assert snapshot(sample) == before
    agreed = run(*_DECIDE_BIDV, input="y\n")
    assert agreed.exit_code == 0, agreed.output
    assert agreed.stderr.endswith("Khen thưởng dù Hội đồng không thông qua (4/9 đồng ý (44,44%):"
                                  " không thông qua).\n")  # fmt: skip


def test_a_decision_list_names_every_grant_the_council_did_not_pass(
    run, sample: Path, tmp_path: Path
) -> None:
    _council_refuses_bidv(run)
    listed = tmp_path / "qd.csv"
    listed.write_text(
        "unit,award\nAgribank Lạng Sơn,co_thi_dua\nBIDV Lạng Sơn,bang_khen\n", encoding="utf-8"
    )
    args = ["decide", "import", str(listed), "-y", "2020", "--decision", "12/QĐ-UBND",
            "--date", "20/01/2021"]  # fmt: skip
    _refused(
        run, sample, args,
        "Lỗi: Danh sách khen thưởng 1 đề nghị mà Hội đồng không thông qua:\n"
        f"  - dòng 3: {_NOT_PASSED}\n"
        "  - Chưa ghi gì. Nếu vẫn khen thưởng: thêm --against-council.\n",
    )  # fmt: skip
    done = run(*args, "--against-council")
    assert done.exit_code == 0, done.output
    assert query(sample, "SELECT count(*) FROM decision WHERE decision_no = '12/QĐ-UBND'"
                 ) == [(2,)]  # fmt: skip


def test_the_councils_share_is_a_rule_of_the_year(run, sample: Path) -> None:
    _accept(run)
    assert run("council", "set", "-y", "2020", "-u", "Agribank Lạng Sơn", "--award",
               "co_thi_dua", "--agree", "4", "--members", "8").exit_code == 0  # fmt: skip
    assert _stages(run, "-c", "Cụm I")[0][2] == "4/8 đồng ý (50,00%): không thông qua"
    _refused(
        run, sample,
        ["policy", "set", "-c", "Cụm I", "-y", "2020", "--council-threshold", "50"],
        "Lỗi: Tỷ lệ thông qua của Hội đồng là quy định chung của năm: hãy dùng --all-clusters.\n",
    )  # fmt: skip
    # a year-wide rule while clusters of the year are locked is refused as any other
    locked = run("policy", "set", "--all-clusters", "-y", "2020", "--council-threshold-rule",
                 "at-least")  # fmt: skip
    assert locked.exit_code == 3
    assert run("policy", "set", "--all-clusters", "-y", "2021", "--council-threshold-rule",
               "at-least").exit_code == 0  # fmt: skip
    shown = json.loads(run("policy", "show", "--all-clusters", "-y", "2021", "-f", "json").stdout)
    assert (shown["council_threshold"], shown["council_threshold_rule"]) == (50, "at-least")


def test_each_stage_is_dated_after_the_one_before(run, sample: Path) -> None:
    _accept(run)  # received on 08/01/2021
    council = ["council", "set", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
               "--agree", "6", "--members", "9"]  # fmt: skip
    _refused(
        run, sample, [*council, "--date", "07/01/2021"],
        "Lỗi: Hội đồng không thể biểu quyết ngày 07/01/2021 đối với hồ sơ Ban Thi đua - Khen"
        " thưởng tiếp nhận ngày 08/01/2021.\n",
    )  # fmt: skip
    assert run(*council, "--date", "15/01/2021").exit_code == 0
    decide = ["decide", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
              "--decision", "12/QĐ-UBND"]  # fmt: skip
    _refused(
        run, sample, [*decide, "--date", "10/01/2021"],
        "Lỗi: Ngày quyết định 10/01/2021 trước ngày Hội đồng biểu quyết đề nghị này"
        " (15/01/2021).\n",
    )  # fmt: skip
    _refused(
        run, sample, ["decide", "-y", "2020", "-u", "Agribank Lạng Sơn", "--award", "co_thi_dua",
                      "--decision", "11/QĐ-UBND", "--date", "07/01/2021"],
        "Lỗi: Ngày quyết định 07/01/2021 trước ngày Ban Thi đua - Khen thưởng tiếp nhận hồ sơ"
        " (08/01/2021).\n",
    )  # fmt: skip
    returned = run("review", "-c", "Cụm II", "-y", "2020", "--return", "--reason", "Thiếu",
                   "--date", "10/01/2021")  # fmt: skip
    assert returned.exit_code == 0, returned.output
    _refused(
        run, sample, ["submit", "-c", "Cụm II", "-y", "2020", "--date", "09/01/2021"],
        "Lỗi: Ban Thi đua - Khen thưởng đã trả lại hồ sơ lần trước ngày 10/01/2021; hồ sơ nộp"
        " lại không thể đề ngày 09/01/2021.\n",
    )  # fmt: skip


def test_a_bundle_carries_the_boards_stage_and_the_conference_record(
    run, sample: Path, tmp_path: Path
) -> None:
    # Cụm II: returned, then submitted again as version 2 and received
    assert run("review", "-c", "Cụm II", "-y", "2020", "--return", "--reason",
               "Thiếu biên bản họp", "--date", "08/01/2021").exit_code == 0  # fmt: skip
    assert run("submit", "-c", "Cụm II", "-y", "2020", "--date", "09/01/2021").exit_code == 0
    assert run("review", "-c", "Cụm II", "-y", "2020", "--accept", "--date", "11/01/2021"
               ).exit_code == 0  # fmt: skip
    _council_refuses_bidv(run)  # Cụm I received; the Council turns BIDV's Bằng khen down
    assert run("council", "set", "-y", "2020", "-u", "Agribank Lạng Sơn", "--award",
               "co_thi_dua", "--agree", "8", "--members", "9", "--date", "15/01/2021"
               ).exit_code == 0  # fmt: skip
    assert run(*_DECIDE_BIDV, "--against-council").exit_code == 0
    assert run("decide", "-y", "2020", "-u", "Agribank Lạng Sơn", "--award", "co_chinh_phu",
               "--decision", "45/QĐ-TTg", "--date", "10/03/2021").exit_code == 0  # fmt: skip
    assert run("cluster", "conference", "-c", "Cụm I", "-y", "2021", "--chair-name",
               "Ông Hoàng Văn C", "--secretary", "Bà Lê Thị D", "--chair",
               "VDB Lạng Sơn", "--absent", "BIDV Lạng Sơn", "--guest", "Ông Vũ Thanh Thụy"
               ).exit_code == 0  # fmt: skip
    bundle = tmp_path / "tinh.json"
    assert run("export", str(bundle)).exit_code == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    assert [s["review"] for s in data["submissions"] if s["cluster"] == CUM_II] == [
        {"action": "return", "date": "2021-01-08", "reason": "Thiếu biên bản họp"},
        {"action": "accept", "date": "2021-01-11", "reason": None},
    ]
    assert data["central_decisions"] == [
        {"unit": AGRIBANK, "year": 2021 - 1, "award": "co_chinh_phu", "number": "45/QĐ-TTg",
         "date": "2021-03-10"}
    ]  # fmt: skip
    other = tmp_path / "other.db"
    assert run("init", "--db", str(other)).exit_code == 0
    merged = run("import", str(bundle), "--db", str(other))
    assert merged.exit_code == 0, merged.output
    for words in ("3 lượt tiếp nhận, trả lại của Ban", "2 kết quả biểu quyết của Hội đồng",
                  "1 quyết định của Trung ương", "1 danh sách tham dự",
                  "6 danh sách đại biểu"):  # fmt: skip
        assert words in merged.stderr, merged.stderr
    for sql in (
        "SELECT c.name, s.version, r.action, r.reviewed_on, r.reason FROM review r"
        " JOIN submission s ON s.id = r.submission_id JOIN cluster c ON c.id = s.cluster_id"
        " ORDER BY 1, 2",
        "SELECT u.name, v.award, v.agree, v.members, v.voted_on FROM council_vote v"
        " JOIN unit u ON u.id = v.unit_id ORDER BY 1",
        "SELECT u.name, d.award, d.decision_no, d.decided_on FROM central_decision d"
        " JOIN unit u ON u.id = d.unit_id",
        "SELECT u.name, d.granted, d.decision_no FROM decision d JOIN unit u ON u.id = d.unit_id"
        " ORDER BY 1, 2",
        "SELECT c.name, k.year, k.held_on, k.place, u.name, k.chair_name, k.secretary"
        " FROM conference k JOIN cluster c ON c.id = k.cluster_id"
        " LEFT JOIN unit u ON u.id = k.chair_unit_id"
        " ORDER BY 1, 2",
        "SELECT u.name FROM conference_attendance a JOIN unit u ON u.id = a.unit_id ORDER BY 1",
        "SELECT year, position, name FROM conference_guest",
    ):
        assert query(other, sql) == query(sample, sql), sql
    # the same bundle again brings nothing new
    before = snapshot(other)
    again = run("import", str(bundle), "--db", str(other))
    assert again.exit_code == 0, again.output
    assert "không có gì mới" in again.stderr, again.stderr
    after = snapshot(other)
    # only the import itself is logged
    assert [row[4:6] for row in after.pop("audit")[len(before["audit"]) :]] == [
        ("bundle", "import")
    ]
    before.pop("audit")
    assert after == before


def test_a_received_file_is_withdrawn_from_the_board_only_when_asked(run, sample: Path) -> None:
    _council_refuses_bidv(run)
    unlock = ["unlock", "-c", "Cụm I", "-y", "2020", "--reason", "Sửa điểm"]
    _refused(
        run, sample, unlock,
        f"Lỗi: Ban Thi đua - Khen thưởng đã tiếp nhận hồ sơ năm 2020 của {CUM_I} (lần 1) ngày"
        " 08/01/2021; mở khóa sẽ rút hồ sơ khỏi Ban, cùng kết quả biểu quyết của Hội đồng về 1"
        " đề nghị. Chưa thay đổi gì. Nếu vẫn rút: thêm --withdraw-received.\n",
    )  # fmt: skip
    done = run(*unlock, "--withdraw-received")
    assert done.exit_code == 0, done.output
    # the file is withdrawn; its receipt and the Council's vote stay on record with it
    assert query(
        sample,
        "SELECT s.version, s.status, r.action, (SELECT count(*) FROM council_vote v"
        " WHERE v.submission_id = s.id) FROM submission s JOIN review r ON r.submission_id = s.id",
    ) == [(1, "withdrawn", "accept", 1)]


def test_decide_says_when_the_board_has_not_received_the_file(run, sample: Path) -> None:
    # no review recorded in the year: the province does not use the Board's stage; no word
    quiet = run("decide", "-y", "2020", "-u", "Agribank Lạng Sơn", "--award", "co_thi_dua",
                "--decision", "12/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    assert quiet.stderr == (
        f"{AGRIBANK}, Cờ thi đua của UBND tỉnh năm 2020: 12/QĐ-UBND, 20/01/2021: được khen.\n"
    )
    _accept(run, "Cụm II")  # the Board received another cluster's file
    noted = run("decide", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
                "--decision", "12/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    assert (noted.exit_code, noted.stderr) == (
        0,
        f"{BIDV}, Bằng khen của Chủ tịch UBND tỉnh năm 2020: 12/QĐ-UBND, 20/01/2021: được khen."
        " (Chưa ghi nhận việc Ban Thi đua - Khen thưởng tiếp nhận hồ sơ này.)\n",
    )


def test_a_bundle_naming_a_chair_or_a_present_unit_outside_the_cluster_is_refused(
    run, sample: Path, tmp_path: Path
) -> None:
    assert run("cluster", "conference", "-c", "Cụm I", "-y", "2021", "--chair", "VDB Lạng Sơn",
               "--all-present").exit_code == 0  # fmt: skip
    bundle = tmp_path / "cum-i-2021.json"
    assert run("export", str(bundle), "-c", "Cụm I", "-y", "2021").exit_code == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    outsider = "Cục Thuế tỉnh Lạng Sơn"
    data["conferences"][0]["chair_unit"] = outsider
    bundle.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    where = f"hội nghị của {CUM_I}, năm 2021"
    _refused(
        run, sample, ["import", str(bundle), "--on-conflict", "replace"],
        "Lỗi: Không nhập gì: 1 lỗi và 0 xung đột với dữ liệu hiện có (dùng --on-conflict keep"
        " hoặc replace để quyết định khi xung đột):\n"
        f"  - {where}: {outsider} không phải thành viên của cụm trong năm đó.\n",
    )  # fmt: skip
    data["conferences"][0]["chair_unit"] = None
    data["conferences"][0]["present"].append(outsider)
    bundle.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = run("import", str(bundle), "--on-conflict", "replace")
    assert refused.exit_code == 3
    assert f"  - {where}: {outsider} không phải thành viên của cụm trong năm đó.\n" in (
        refused.stderr
    )
