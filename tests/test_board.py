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


def test_decide_warns_when_it_grants_what_the_council_did_not_pass(run, sample: Path) -> None:
    _accept(run)
    assert run("council", "set", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
               "--agree", "4", "--members", "9").exit_code == 0  # fmt: skip
    decided = run("decide", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
                  "--decision", "12/QĐ-UBND", "--date", "20/01/2021")  # fmt: skip
    assert decided.exit_code == 0, decided.output
    assert decided.stderr.splitlines() == [
        "Lưu ý: kết quả biểu quyết của Hội đồng là 4/9 đồng ý (44,44%): không thông qua;"
        " quyết định vẫn khen thưởng.",
        f"{BIDV}, Bằng khen của Chủ tịch UBND tỉnh năm 2020: 12/QĐ-UBND, 20/01/2021: được khen.",
    ]
    # once decided, the Council's vote stays as it was
    _refused(
        run, sample,
        ["council", "set", "-y", "2020", "-u", "BIDV Lạng Sơn", "--award", "bang_khen",
         "--agree", "8", "--members", "9"],
        f"Lỗi: Bằng khen của Chủ tịch UBND tỉnh của {BIDV} đã có quyết định; kết quả biểu quyết"
        " của Hội đồng giữ nguyên.\n",
    )  # fmt: skip


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
