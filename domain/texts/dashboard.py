"""Texts of the leadership dashboard (/dasbor), Indonesian first."""

TEXTS = {
    # ---- filters and headline -------------------------------------------------------------------
    "dash.caption": {"id": "Angka per {as_of}, tahun {year}.", "en": "Figures as of {as_of}, year {year}."},
    "dash.filter.year": {"id": "Tahun", "en": "Year"},
    "dash.filter.org": {"id": "Satuan organisasi", "en": "Organisation"},
    "dash.filter.all_orgs": {"id": "Semua satuan organisasi", "en": "All organisations"},
    "dash.projector": {"id": "Mode proyektor", "en": "Projector mode"},
    "dash.projector.help": {"id": "Huruf dan angka besar untuk ditayangkan di layar; tabel menampilkan baris teratas.",
                            "en": "Large type for a projected screen; tables show their top rows."},
    "dash.m.cases_open": {"id": "Kasus berjalan", "en": "Open cases"},
    "dash.m.cases_open.help": {"id": "Kasus tahun ini yang belum selesai per {as_of}.",
                               "en": "Cases of the year not finished as of {as_of}."},
    "dash.m.cases_finished": {"id": "Kasus selesai", "en": "Finished cases"},
    "dash.m.cases_finished.help": {"id": "Kasus yang selesai pada tahun {year}.",
                                   "en": "Cases finished in {year}."},
    "dash.m.docs_permen": {"id": "SP/SOP Permensesneg", "en": "SP/SOP by regulation"},
    "dash.m.docs_intern": {"id": "SP/SOP intern", "en": "SP/SOP internal"},
    "dash.csv.docs_permen": {"id": "SP/SOP selesai (Permensesneg)", "en": "SP/SOP finished (by regulation)"},
    "dash.csv.docs_intern": {"id": "SP/SOP selesai (intern)", "en": "SP/SOP finished (internal)"},
    "dash.m.docs.help": {"id": "SP/SOP selesai: jumlah draf SP/SOP dari kasus yang selesai pada tahun {year}.",
                         "en": "SP/SOP finished: the drafts of the cases finished in {year}."},
    "dash.m.on_time": {"id": "Langkah tepat waktu", "en": "Steps on time"},
    "dash.m.on_time.help": {"id": "{on_time} dari {judged} langkah bertenggat yang selesai pada tahun {year}.",
                            "en": "{on_time} of {judged} steps with a standard time finished in {year}."},
    "dash.m.cases_late": {"id": "Kasus terlambat", "en": "Cases late"},
    "dash.m.cases_late.help": {"id": "Kasus dengan langkah yang melewati tenggat per {as_of}.",
                               "en": "Cases with a step past its due time as of {as_of}."},
    "dash.m.complaints_open": {"id": "Pengaduan terbuka", "en": "Open complaints"},
    "dash.m.complaints_open.help": {"id": "Belum dijawab atau ditutup per {as_of}.",
                                    "en": "Not answered or closed as of {as_of}."},
    "dash.m.complaints_overdue": {"id": "Pengaduan lewat tenggat", "en": "Complaints overdue"},
    "dash.m.complaints_overdue.help": {"id": "Terbuka dan melewati tenggat per {as_of}.",
                                       "en": "Open and past their due time as of {as_of}."},
    "dash.headline.file": {"id": "angka-utama", "en": "headline"},
    # ---- sections -------------------------------------------------------------------------------
    "dash.sec.progress": {"id": "Kemajuan per satuan organisasi dan unit kerja",
                          "en": "Progress per organisation and unit"},
    "dash.progress.help": {"id": "Panjang batang: bagian prosedur yang sudah selesai, ditimbang dengan waktu standar. "
                                 "Warna: tahap yang dicapai (kasus paling belakang yang masih berjalan).",
                           "en": "Bar length: share of the procedure done, weighted by standard time. "
                                 "Colour: stage reached (the least advanced open case)."},
    "dash.progress.orgs": {"id": "Satuan organisasi", "en": "Organisations"},
    "dash.progress.units": {"id": "Unit kerja", "en": "Units"},
    "dash.pick_org": {"id": "Lihat unit kerja dari", "en": "Show the units of"},
    "dash.pick_unit": {"id": "Lihat kasus unit kerja", "en": "Show the cases of"},
    "dash.click_hint": {"id": "Klik sebuah batang untuk memilihnya.", "en": "Click a bar to select it."},
    "dash.no_cases": {"id": "Tidak ada kasus pada tahun ini.", "en": "No cases this year."},
    "dash.no_units": {"id": "Tidak ada unit kerja.", "en": "No units."},
    "dash.sec.late": {"id": "Keterlambatan", "en": "Lateness"},
    "dash.late.list": {"id": "Langkah yang terlambat per {as_of}", "en": "Steps late as of {as_of}"},
    "dash.late.none": {"id": "Tidak ada langkah yang terlambat.", "en": "No step is late."},
    "dash.late.by_role": {"id": "Porsi langkah terlambat menurut peran", "en": "Late share by role"},
    "dash.late.by_role.help": {"id": "Langkah bertenggat yang selesai pada tahun ini dan langkah yang terlambat per "
                                     "{as_of}, menurut peran yang bertanggung jawab atas langkah itu (pihak luar "
                                     "untuk langkah eksternal).",
                               "en": "Steps with a standard time finished this year and steps late as of {as_of}, "
                                     "by the role responsible for the step (an outside party for external steps)."},
    "dash.sec.bottlenecks": {"id": "Hambatan: waktu kerja nyata dibanding waktu standar",
                             "en": "Bottlenecks: actual working time against standard time"},
    "dash.bottlenecks.help": {"id": "Sepuluh langkah dengan waktu hilang terbesar (hari kerja melewati tenggat), dari "
                                    "langkah yang selesai tahun ini. Batang: median waktu nyata; garis: kuartil 1 "
                                    "sampai 3; tanda hitam: waktu standar.",
                              "en": "The ten steps with the most time lost (working days past due), of the steps "
                                    "finished this year. Bar: median actual time; line: 1st to 3rd quartile; black "
                                    "mark: standard time."},
    "dash.bottlenecks.none": {"id": "Belum ada langkah yang selesai pada tahun ini.",
                              "en": "No step finished this year yet."},
    "dash.sec.trend": {"id": "Tren bulanan", "en": "Monthly trend"},
    "dash.trend.cases": {"id": "Kasus dibuka dan selesai", "en": "Cases opened and finished"},
    "dash.trend.docs": {"id": "Dokumen SP/SOP selesai", "en": "SP/SOP documents finished"},
    "dash.download": {"id": "Unduh CSV", "en": "Download CSV"},
    "dash.more_rows": {"id": "{shown} dari {total} baris ditampilkan; unduh CSV untuk semuanya.",
                       "en": "{shown} of {total} rows shown; download the CSV for all."},
    "dash.method": {"id": "Cara menghitung", "en": "How the figures are counted"},
    "dash.method.text": {
        "id": "- Tahun: 1 Januari 00.00 sampai 31 Desember 24.00 WIB. Angka \"per\" diambil pada akhir tahun, atau "
              "saat ini untuk tahun berjalan.\n"
              "- Kasus yang dibatalkan tidak dihitung. Kasus tahun ini: dimulai sampai batas waktu itu dan tidak "
              "selesai sebelum tahun dimulai; semua angka kecuali tren bulanan hanya menghitung kasus tahun ini.\n"
              "- Dokumen selesai: jumlah draf SP/SOP dari kasus yang selesai pada tahun itu, menurut jalur "
              "(Permensesneg atau intern).\n"
              "- Langkah tepat waktu: selesai paling lambat pada tenggatnya (tenggat sudah memperhitungkan "
              "penundaan). Langkah tanpa waktu standar (7, 8.a, 9.b) tidak dinilai.\n"
              "- Terlambat: langkah yang masih berjalan melewati tenggat; untuk kasus yang ditunda, yang sudah "
              "melewati tenggat saat penundaan dimulai. Hari terlambat dihitung dalam hari kerja (Senin–Jumat, jam "
              "kantor, tanpa hari libur dan cuti bersama).\n"
              "- Kemajuan: bagian waktu standar prosedur kasus yang langkahnya sudah selesai atau dilewati. Tahap "
              "dicapai: tahap tertinggi yang langkahnya sudah dimulai.\n"
              "- Waktu hilang: hari kerja dari tenggat sampai langkah selesai.",
        "en": "- Year: 1 January 00.00 to 31 December 24.00 WIB. Figures \"as of\" are taken at the end of the "
              "year, or now for the current year.\n"
              "- Cancelled cases do not count. Cases of the year: started by that cut-off and not finished before "
              "the year began; every figure but the monthly trend counts the year's cases only.\n"
              "- Documents finished: SP/SOP drafts of the cases finished in the year, by track.\n"
              "- Steps on time: finished by their due time (holds included). Steps without a standard time "
              "(7, 8.a, 9.b) are not judged.\n"
              "- Late: a step still running past its due time; for a case on hold, past it when the hold began. "
              "Days late are working days (Mon–Fri, office hours, no holidays or collective leave).\n"
              "- Progress: the share of the case's standard time in steps done or skipped. Stage reached: the "
              "highest stage with a started step.\n"
              "- Time lost: working days from the due time to the step's finish."},
    "dash.error": {"id": "Angka dasbor tidak dapat dihitung.", "en": "The dashboard figures could not be computed."},
    # ---- labels ---------------------------------------------------------------------------------
    "dash.stage.none": {"id": "Tidak ada kasus", "en": "No case"},
    "dash.stage.0": {"id": "Belum mulai", "en": "Not started"},
    "dash.stage.n": {"id": "Tahap {n}", "en": "Stage {n}"},
    "dash.stage.done": {"id": "Selesai", "en": "Finished"},
    "dash.series.opened": {"id": "Dibuka", "en": "Opened"},
    "dash.series.finished": {"id": "Selesai", "en": "Finished"},
    "dash.late_of": {"id": "{late} dari {judged}", "en": "{late} of {judged}"},
    # ---- column headers (tables and CSV) ---------------------------------------------------------
    "dash.col.org": {"id": "Satuan organisasi", "en": "Organisation"},
    "dash.col.unit": {"id": "Unit kerja", "en": "Unit"},
    "dash.col.units": {"id": "Unit kerja", "en": "Units"},
    "dash.col.units_n": {"id": "Jumlah unit kerja", "en": "Units"},
    "dash.col.units_with_cases": {"id": "Unit kerja dengan kasus", "en": "Units with cases"},
    "dash.col.cases": {"id": "Kasus", "en": "Cases"},
    "dash.col.cases_open": {"id": "Berjalan", "en": "Open"},
    "dash.col.cases_finished": {"id": "Selesai", "en": "Finished"},
    "dash.col.cases_late": {"id": "Terlambat", "en": "Late"},
    "dash.col.share": {"id": "Prosedur selesai (%)", "en": "Procedure done (%)"},
    "dash.col.stage": {"id": "Tahap dicapai", "en": "Stage reached"},
    "dash.col.number": {"id": "Nomor kasus", "en": "Case number"},
    "dash.col.title": {"id": "Judul", "en": "Title"},
    "dash.col.status": {"id": "Status", "en": "Status"},
    "dash.col.track": {"id": "Jalur", "en": "Track"},
    "dash.col.drafts": {"id": "Draf SP/SOP", "en": "SP/SOP drafts"},
    "dash.col.started": {"id": "Mulai", "en": "Started"},
    "dash.col.finished_at": {"id": "Selesai pada", "en": "Finished on"},
    "dash.col.current": {"id": "Langkah sekarang", "en": "Current step"},
    "dash.col.days_late": {"id": "Hari kerja terlambat", "en": "Working days late"},
    "dash.col.step": {"id": "Langkah", "en": "Step"},
    "dash.col.step_name": {"id": "Uraian langkah", "en": "Step description"},
    "dash.col.role": {"id": "Peran", "en": "Role"},
    "dash.col.executor": {"id": "Pelaksana", "en": "Executor"},
    "dash.col.due": {"id": "Tenggat", "en": "Due"},
    "dash.col.judged": {"id": "Langkah dinilai", "en": "Steps judged"},
    "dash.col.late": {"id": "Terlambat", "en": "Late"},
    "dash.col.late_share": {"id": "Porsi terlambat (%)", "en": "Late share (%)"},
    "dash.col.days_total": {"id": "Jumlah hari kerja terlambat", "en": "Total working days late"},
    "dash.col.days_median": {"id": "Median hari kerja terlambat", "en": "Median working days late"},
    "dash.col.n": {"id": "Langkah selesai", "en": "Steps finished"},
    "dash.col.std_days": {"id": "Standar (hari kerja)", "en": "Standard (working days)"},
    "dash.col.actual_median": {"id": "Median nyata (hari kerja)", "en": "Median actual (working days)"},
    "dash.col.p25": {"id": "Kuartil 1 (hari kerja)", "en": "1st quartile (working days)"},
    "dash.col.p75": {"id": "Kuartil 3 (hari kerja)", "en": "3rd quartile (working days)"},
    "dash.col.lost": {"id": "Waktu hilang (hari kerja)", "en": "Time lost (working days)"},
    "dash.col.month": {"id": "Bulan", "en": "Month"},
    "dash.col.opened": {"id": "Kasus dibuka", "en": "Cases opened"},
    "dash.col.finished": {"id": "Kasus selesai", "en": "Cases finished"},
    "dash.col.documents": {"id": "Dokumen SP/SOP selesai", "en": "SP/SOP documents finished"},
    "dash.col.figure": {"id": "Angka", "en": "Figure"},
    "dash.col.value": {"id": "Nilai", "en": "Value"},
    "dash.col.year": {"id": "Tahun", "en": "Year"},
    "dash.col.as_of": {"id": "Per", "en": "As of"},
    "dash.status.aktif": {"id": "Aktif", "en": "Active"},
    "dash.status.ditunda": {"id": "Ditunda", "en": "On hold"},
    "dash.status.selesai": {"id": "Selesai", "en": "Finished"},
    "dash.track.permen": {"id": "Permensesneg", "en": "By regulation"},
    "dash.track.intern": {"id": "Intern", "en": "Internal"},
    "dash.file.orgs": {"id": "kemajuan-satuan-organisasi", "en": "progress-organisations"},
    "dash.file.units": {"id": "kemajuan-unit-kerja", "en": "progress-units"},
    "dash.file.cases": {"id": "kasus-unit-kerja", "en": "unit-cases"},
    "dash.file.late_steps": {"id": "langkah-terlambat", "en": "late-steps"},
    "dash.file.late_by_role": {"id": "keterlambatan-per-peran", "en": "lateness-by-role"},
    "dash.file.bottlenecks": {"id": "hambatan-langkah", "en": "bottlenecks"},
    "dash.file.trend": {"id": "tren-bulanan", "en": "monthly-trend"},
}
