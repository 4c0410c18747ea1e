"""The procedure of the service standard (Bagian Kedua, B. Uraian Prosedur) as data.

Change the regulation, change these tables: pages, the timing rule, the dashboard and the
evaluation all read them. Codes follow the seed's numbering (``2.b.1.c`` = stage 2, b, 1), c)).

Interpretations the seed leaves open, kept here so they can be changed in one place (the timing
rule that judges lateness from them is ``domain/timing.py``):
- What the seed times is judged, and only that. A step with a time of its own (1.a 30 minutes,
  2.b.1.g one week, 4.a 2 hours per draft, 5.b.1–5.b.6, ...) is judged on its own. A block the seed
  times as a whole (2.a 1 day, 2.b 2 weeks, 3.a 1 day, each meeting's administration, 5.a.2 1 day,
  8.b 2 days) is judged as a block: it is late when the working time from its first step's start to
  its last step's finish, less holds, exceeds the block's time. Its steps show their start, finish
  and who did them, and an indicative share of the block's time (the block's time not taken by
  steps with their own time, shared evenly) to place them in the plan, labelled as guidance; they
  carry no lateness of their own. A block whose every step has its own time (5.b) is judged through
  its steps; its remaining time is slack at the end of the block in the plan.
- Steps the seed gives no time (7, 8.a, 9.b) are never late.
- A step or block finished after its due instant with no working time late (after office hours on
  the due day, or overtime the seed allows: "apabila diperlukan dapat dilaksanakan di luar hari dan
  jam kerja") is on time.
- Days and weeks are working days (the working-time calendar); a day is one office day, a week
  five of them.
- ``4.b.1`` meeting administration comes before each meeting, as the seed lays it out per meeting:
  in town 1 day (invitation and catering memo) before each of the two discussions in the office
  (4.b.2.a) and, when the working meetings are in town, before each of them; out of town 3 days
  (invitation, assignment letter, travel funds) before each of the two working meetings (4.b.2.b).
  Each administration is its own block, numbered by its meeting (``4.b.1.1.a/1`` is step a of the
  administration before meeting 1).
- Where the seed lets another party act (a Deputi signs the 2.b.1 memo or the Surat Perintah of
  4.b.1.2.d; Kasubbag or staff confirm attendance in 4.b.1.2.f; Kabag, Kasubbag or staff review in
  4.a and finalise in 5.a.1), the step records who did it (its party) and its time counts against
  that party; without a record, against the first named.
- Whom a judged step counts against: its party (an outside party by name: units, unit heads, a
  Deputi, the Minister, Biro Tata Usaha, Biro Umum; the Tim Penyusun for the team's discussions),
  and in the evaluation the executor who did it. A block counts against the party (and executor)
  that held its work longest in working time, so that every judged item counts once.
- When leadership directs a Deputi's decree instead of the Minister's (2.b.2, catatan), the decree
  steps name the Keputusan Deputi; the Deputi establishes it (2.b.2.fd) and the Minister's steps
  do not apply.
- Internal SP/SOP (track ``intern``) skip what only a regulation needs: 5.b, 6, 7, 8, 9.a–9.c.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

# Roles of the Bureau's executors and responsible official (the app's executor roles).
KARO, KABAG, KASUBBAG, STAF = "Karo", "Kabag", "Kasubbag", "Staf"
EXECUTOR_ROLES = (KARO, KABAG, KASUBBAG, STAF)
# Parties outside the Bureau whose clock may be running; the drafting team is neither.
UNIT, UNIT_HEAD, TIM = "Unit kerja", "Pimpinan unit kerja", "Tim Penyusun"
DEPUTI, DEPUTI_HUKUM, MENTERI = "Deputi", "Deputi Hukum", "Menteri"
BIRO_TU, BIRO_UMUM = "Biro Tata Usaha", "Biro Umum"
EXTERNAL_PARTIES = (UNIT, UNIT_HEAD, DEPUTI, DEPUTI_HUKUM, MENTERI, BIRO_TU, BIRO_UMUM)
ACTOR_ROLES = EXECUTOR_ROLES + (TIM,) + EXTERNAL_PARTIES
# Every party a judged step or block may count against, in the order tables list them.
PARTIES = (KABAG, KASUBBAG, STAF, KARO, TIM) + EXTERNAL_PARTIES

PERMEN, INTERN = "permen", "intern"
TRACKS = (PERMEN, INTERN)
TRACK_LABELS = {PERMEN: "Ditetapkan dengan Permensesneg", INTERN: "Intern"}
BOTH = frozenset(TRACKS)
ONLY_PERMEN = frozenset({PERMEN})

IN_TOWN, OUT_OF_TOWN = "dalam_kota", "luar_kota"
MEETING_LOCATIONS = (IN_TOWN, OUT_OF_TOWN)
DECREE_MENTERI, DECREE_DEPUTI = "menteri", "deputi"
TEAM_DECREES = (DECREE_MENTERI, DECREE_DEPUTI)

UNITS_OF_TIME = ("menit", "jam", "hari", "minggu")
# What a standard time is multiplied by.
ONCE, PER_DRAFT, PER_UNIT, PER_ORG = "sekali", "per_draf", "per_unit", "per_satorg"


def is_external(party: str | None) -> bool:
    return party in EXTERNAL_PARTIES


@dataclass(frozen=True)
class StandardTime:
    amount: float
    unit: str  # one of UNITS_OF_TIME
    per: str = ONCE
    rate: int | None = None  # "15 SP/SOP per hari": amount per `rate` items

    def minutes(self, params: CaseParams, minutes_per_day: int) -> int:
        base = {"menit": 1, "jam": 60, "hari": minutes_per_day, "minggu": 5 * minutes_per_day}[self.unit]
        count = {ONCE: 1, PER_DRAFT: params.drafts, PER_UNIT: params.units, PER_ORG: params.organisations}[self.per]
        if self.rate:
            return math.ceil(self.amount * base * count / self.rate)
        return math.ceil(self.amount * base * count)

    def label(self) -> str:
        amount = f"{self.amount:g}".replace(".", ",")
        text = f"{amount} {self.unit}"
        if self.rate:
            return f"{self.rate} SP/SOP per {self.unit}"
        suffix = {ONCE: "", PER_DRAFT: "/draf", PER_UNIT: "/unit kerja", PER_ORG: "/satuan organisasi"}[self.per]
        return text + suffix


@dataclass(frozen=True)
class CaseParams:
    """What the planned duration of a case depends on."""

    track: str = PERMEN
    drafts: int = 1
    units: int = 1
    organisations: int = 1
    meeting_location: str = IN_TOWN
    team_decree: str = DECREE_MENTERI

    def __post_init__(self):
        if self.track not in TRACKS:
            raise ValueError(f"track {self.track!r}")
        if self.meeting_location not in MEETING_LOCATIONS:
            raise ValueError(f"meeting_location {self.meeting_location!r}")
        if self.team_decree not in TEAM_DECREES:
            raise ValueError(f"team_decree {self.team_decree!r}")
        for name in ("drafts", "units", "organisations"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1")


@dataclass(frozen=True)
class Step:
    code: str
    name: str
    actors: tuple[str, ...]  # who takes part; the first is the party the step counts against
    std: StandardTime | None = None  # the seed times this step itself
    block: str | None = None  # code of the timed block the step belongs to
    tracks: frozenset = BOTH
    variant: tuple[str, str] | None = None  # ("meeting_location", IN_TOWN) ...
    parties: tuple[str, ...] = ()  # who may do it instead, where the seed allows (the first is the default)
    names: tuple[tuple[tuple[str, str], str], ...] = ()  # another name under a variant: ((attr, value), name)

    @property
    def stage(self) -> int:
        return int(self.code.split(".")[0])

    @property
    def responsible(self) -> str:
        """The party the step counts against when no other party is recorded."""
        return self.actors[0]

    @property
    def external(self) -> bool:
        return is_external(self.responsible)

    @property
    def choices(self) -> tuple[str, ...]:
        """The parties that may do this step (one, unless the seed allows another)."""
        return self.parties or (self.responsible,)

    def party(self, recorded: str | None) -> str:
        """Whom the step counts against: the recorded party where the seed allows it, else the default."""
        return recorded if recorded in self.choices else self.responsible

    def name_for(self, params: CaseParams) -> str:
        for (attr, value), name in self.names:
            if getattr(params, attr) == value:
                return name
        return self.name

    def applies(self, params: CaseParams) -> bool:
        if params.track not in self.tracks:
            return False
        if self.variant:
            attr, value = self.variant
            return getattr(params, attr) == value
        return True


@dataclass(frozen=True)
class Block:
    code: str
    name: str
    std: StandardTime
    variant: tuple[str, str] | None = None


STAGES: dict[int, str] = {
    1: "Pemberian arahan secara berjenjang",
    2: "Penyusunan rencana kerja dan pembentukan tim",
    3: "Penyusunan draf standar pelayanan/SOP oleh unit kerja",
    4: "Pemeriksaan dan pembahasan draf standar pelayanan/SOP",
    5: "Finalisasi dan penyusunan Rancangan Permensesneg",
    6: "Harmonisasi Rancangan Permensesneg",
    7: "Penandatanganan Permensesneg oleh Menteri",
    8: "Pengagendaan dan pembuatan Salinan",
    9: "Pencetakan dan diseminasi",
}

# The meetings of 4.b.2, each preceded by its own administration (4.b.1): (number, meeting step,
# how the administration goes: always in town for a discussion in the office, else as the case says).
MEETINGS = ((1, "4.b.2.a.1", IN_TOWN), (2, "4.b.2.a.2", IN_TOWN), (3, "4.b.2.b.1", None), (4, "4.b.2.b.2", None))
MEETING_NAMES = {1: "pembahasan ke-1", 2: "pembahasan ke-2", 3: "rapat kerja ke-1", 4: "rapat kerja ke-2"}


def _admin_block(n: int, location: str) -> str:
    return f"4.b.1.{1 if location == IN_TOWN else 2}/{n}"


def _blocks() -> dict[str, Block]:
    out = [
        Block("2.a", "Penyusunan rencana kerja", StandardTime(1, "hari")),
        Block("2.b", "Pembentukan Tim Penyusun", StandardTime(2, "minggu")),
        Block("3.a", "Memorandum permintaan penyusunan draf", StandardTime(1, "hari")),
        Block("5.a.2", "Permintaan penandatanganan SP/SOP", StandardTime(1, "hari")),
        Block("5.b", "Penyiapan dan pengajuan Rancangan Permensesneg", StandardTime(3, "minggu")),
        Block("8.b", "Penyiapan Salinan Permensesneg dan file PDF", StandardTime(2, "hari")),
    ]
    for n, _meeting, fixed in MEETINGS:
        for location in ((fixed,) if fixed else MEETING_LOCATIONS):
            where = "di dalam kota" if location == IN_TOWN else "di luar kota"
            std = StandardTime(1, "hari") if location == IN_TOWN else StandardTime(3, "hari")
            variant = None if fixed else ("meeting_location", location)
            out.append(Block(_admin_block(n, location),
                             f"Persiapan administrasi {MEETING_NAMES[n]} {where}", std, variant))
    return {b.code: b for b in out}


BLOCKS: dict[str, Block] = _blocks()


def _memo_chain(prefix: str, block: str | None, what: str, signer: str = KARO, signer_text: str = "",
                send: str = "", signer_parties: tuple[str, ...] = (), **kw) -> list[Step]:
    """The seed's recurring a)–f) chain: assign, draft, Kasubbag, Kabag, signer, staff sends."""
    signer_text = signer_text or "Kepala Biro memeriksa dan menandatangani " + what
    letters = "abcdef"
    texts = [
        (KASUBBAG, f"Kasubbag menugaskan staf menyusun {what}"),
        (STAF, f"Staf menyusun {what}"),
        (KASUBBAG, f"Kasubbag memeriksa {what}"),
        (KABAG, f"Kabag memeriksa {what}"),
        (signer, signer_text),
        (STAF, send or f"Staf menyampaikan {what}"),
    ]
    return [Step(f"{prefix}.{letters[i]}", text, (actor,), block=block,
                 parties=signer_parties if i == 4 else (), **kw)
            for i, (actor, text) in enumerate(texts)]


def _numbered(prefix: str, items: list[tuple[str, str]], block: str, **kw) -> list[Step]:
    return [Step(f"{prefix}.{i + 1}", text, (actor,), block=block, **kw) for i, (actor, text) in enumerate(items)]


def _deputi_named(steps: list[Step], kepmen: str, kepdep: str) -> list[Step]:
    """Under a Deputi's decree the documents are the Keputusan Deputi, not the Kepmensesneg."""
    deputi = ("team_decree", DECREE_DEPUTI)
    return [Step(s.code, s.name, s.actors, s.std, s.block, s.tracks, s.variant, s.parties,
                 ((deputi, s.name.replace(kepmen, kepdep)),)) for s in steps]


def _meeting_admin(n: int, location: str, variant: tuple[str, str] | None) -> list[Step]:
    block = _admin_block(n, location)
    what = MEETING_NAMES[n]
    if location == IN_TOWN:
        items = [
            ("a", STAF, f"Staf menyusun konsep undangan rapat ({what}) dan memorandum permintaan konsumsi", ()),
            ("b", KASUBBAG, "Kasubbag memeriksa konsep undangan dan memorandum", ()),
            ("c", KABAG, "Kabag memeriksa konsep undangan dan memorandum", ()),
            ("d", KARO, "Kepala Biro memeriksa dan menandatangani undangan dan memorandum", ()),
            ("e", STAF, "Staf menyampaikan undangan kepada Anggota Tim dan memorandum kepada Biro Umum", ()),
        ]
    else:
        items = [
            ("a", STAF, f"Staf menyusun konsep undangan ({what}), Surat Perintah, dan dokumen biaya perjalanan dinas",
             ()),
            ("b", KASUBBAG, "Kasubbag memeriksa undangan, Surat Perintah, dan dokumen perjalanan dinas", ()),
            ("c", KABAG, "Kabag memeriksa undangan, Surat Perintah, dan dokumen perjalanan dinas", ()),
            ("d", KARO, "Kepala Biro menandatangani undangan dan Surat Perintah (Deputi menandatangani Surat "
                        "Perintah bila ada pejabat Eselon I dalam Tim)", (KARO, DEPUTI)),
            ("e", STAF, "Staf menyampaikan undangan dan Surat Perintah; dokumen biaya ke Biro Keuangan", ()),
            ("f", KASUBBAG, "Kasubbag/staf mengonfirmasi kehadiran dan berkoordinasi dengan pihak terkait",
             (KASUBBAG, STAF)),
        ]
    prefix = block.split("/")[0]
    return [Step(f"{prefix}.{c}/{n}", text, (actor,), block=block, variant=variant, parties=parties)
            for c, actor, text, parties in items]


def _build_steps() -> list[Step]:
    s: list[Step] = []
    s += [
        Step("1.a", "Kepala Biro memberikan arahan kepada Kabag Tata Laksana untuk mengoordinasikan penyusunan",
             (KARO, KABAG), StandardTime(30, "menit")),
        Step("1.b", "Kabag menugaskan Kasubbag mengumpulkan dokumen, menyusun rencana kegiatan dan konsep Tim Penyusun",
             (KABAG, KASUBBAG), StandardTime(30, "menit")),
    ]
    s += _numbered("2.a", [
        (KASUBBAG, "Kasubbag menugaskan staf mengumpulkan dokumen dan menyusun konsep rencana kegiatan"),
        (STAF, "Staf mencari dokumen dan menyusun konsep rencana kegiatan"),
        (KASUBBAG, "Kasubbag memeriksa dokumen dan rencana kegiatan"),
        (KABAG, "Kabag memeriksa dan menyetujui rencana kegiatan"),
    ], "2.a")
    s += _memo_chain("2.b.1", "2.b", "konsep memorandum permintaan usulan keanggotaan Tim",
                     signer_text="Kepala Biro (atau Deputi) memeriksa dan menandatangani memorandum",
                     send="Staf menyampaikan memorandum kepada pimpinan satuan organisasi/unit kerja",
                     signer_parties=(KARO, DEPUTI))
    s.append(Step("2.b.1.g", "Pimpinan unit kerja menyampaikan usulan keanggotaan Tim (paling lambat 1 minggu)",
                  (UNIT_HEAD,), StandardTime(1, "minggu"), block="2.b"))
    kepmen, kepdep = "Rancangan Kepmensesneg", "Rancangan Keputusan Deputi Bidang Administrasi Aparatur"
    decree = f"{kepmen} pembentukan Tim beserta memorandum pengantar"
    # a)–e) as in every memo chain; the Karo only checks here, the Deputi signs the cover memo.
    s += _deputi_named(_memo_chain("2.b.2", "2.b", decree,
                                   signer_text=f"Kepala Biro memeriksa {kepmen} beserta memorandum pengantar")[:5],
                       kepmen, kepdep)
    s += [
        Step("2.b.2.f", "Deputi Bidang Administrasi Aparatur memeriksa Rancangan Kepmensesneg dan menandatangani memorandum",
             (DEPUTI,), block="2.b", variant=("team_decree", DECREE_MENTERI)),
        Step("2.b.2.g", "Menteri Sekretaris Negara memeriksa dan menandatangani Kepmensesneg pembentukan Tim",
             (MENTERI,), block="2.b", variant=("team_decree", DECREE_MENTERI)),
        Step("2.b.2.fd", "Deputi Bidang Administrasi Aparatur menetapkan Keputusan Deputi pembentukan Tim (atas arahan pimpinan)",
             (DEPUTI,), block="2.b", variant=("team_decree", DECREE_DEPUTI)),
        Step("2.b.2.h", "Staf Biro Tata Usaha memberikan penomoran keputusan pembentukan Tim", (BIRO_TU,), block="2.b",
             names=((("team_decree", DECREE_DEPUTI), "Staf Biro Tata Usaha memberikan penomoran Keputusan Deputi "
                                                      "pembentukan Tim"),
                    (("team_decree", DECREE_MENTERI), "Staf Biro Tata Usaha memberikan penomoran Kepmensesneg "
                                                      "pembentukan Tim"))),
    ]
    s += _deputi_named(_memo_chain("2.b.3", "2.b", "draf Salinan Kepmensesneg beserta memorandum pendistribusian",
                                   send="Staf menggandakan dan mendistribusikan Salinan kepada Anggota Tim"),
                       "Salinan Kepmensesneg", "Salinan Keputusan Deputi")
    s += _numbered("3.a", [
        (KASUBBAG, "Kasubbag menugaskan staf menyusun konsep memorandum permintaan penyusunan draf SP/SOP"),
        (STAF, "Staf menyusun konsep memorandum"),
        (KASUBBAG, "Kasubbag memeriksa konsep memorandum"),
        (KABAG, "Kabag memeriksa konsep memorandum"),
        (KARO, "Kepala Biro memeriksa dan menandatangani memorandum"),
        (STAF, "Staf menyampaikan memorandum kepada pimpinan unit kerja"),
    ], "3.a")
    s.append(Step("3.b", "Unit kerja menyusun draf SP/SOP masing-masing", (UNIT,), StandardTime(2, "minggu")))
    s.append(Step("4.a", "Pemeriksaan draf SP/SOP: substansi, format, dan redaksional",
                  (KABAG, KASUBBAG, STAF), StandardTime(2, "jam", PER_DRAFT), parties=(KABAG, KASUBBAG, STAF)))
    meeting_steps = {
        "4.b.2.a.1": Step("4.b.2.a.1", "Pembahasan ke-1 di dalam kantor: draf SP/SOP", (TIM,),
                          StandardTime(2.5, "jam", PER_UNIT)),
        "4.b.2.a.2": Step("4.b.2.a.2", "Pembahasan ke-2 di dalam kantor: penyempurnaan draf SP/SOP", (TIM,),
                          StandardTime(2.5, "jam", PER_UNIT)),
        "4.b.2.b.1": Step("4.b.2.b.1", "Rapat kerja ke-1 di luar kantor: draf pra-final", (TIM,),
                          StandardTime(3, "hari", PER_ORG)),
        "4.b.2.b.2": Step("4.b.2.b.2", "Rapat kerja ke-2 di luar kantor: draf final", (TIM,),
                          StandardTime(3, "hari", PER_ORG)),
    }
    for n, meeting, fixed in MEETINGS:
        if fixed:
            s += _meeting_admin(n, fixed, None)
        else:
            for location in MEETING_LOCATIONS:
                s += _meeting_admin(n, location, ("meeting_location", location))
        s.append(meeting_steps[meeting])
    s.append(Step("5.a.1", "Finalisasi draf final SP/SOP (pembahasan menyeluruh, redaksional, format)",
                  (KABAG, KASUBBAG, STAF), StandardTime(3, "hari", PER_ORG), parties=(KABAG, KASUBBAG, STAF)))
    s += [Step(f"5.a.2.{c}", t, (a,), block="5.a.2") for c, a, t in [
        ("a", STAF, "Staf menyusun konsep memorandum permintaan tanda tangan SP/SOP"),
        ("b", KASUBBAG, "Kasubbag memeriksa konsep memorandum"),
        ("c", KABAG, "Kabag memeriksa konsep memorandum"),
        ("d", KARO, "Kepala Biro memeriksa dan menandatangani memorandum"),
        ("e", STAF, "Staf menyampaikan memorandum dan draf final kepada pimpinan unit kerja"),
    ]]
    s.append(Step("5.a.3", "Pimpinan unit kerja menandatangani SP/SOP dan menyampaikannya beserta softcopy (paling lambat 3 hari)",
                  (UNIT_HEAD,), StandardTime(3, "hari")))
    s += [Step(f"5.b.{n}", t, (a,), std, block="5.b", tracks=ONLY_PERMEN) for n, a, t, std in [
        (1, STAF, "Staf menginventarisasi, memeriksa, dan mengedit SP/SOP untuk Lampiran",
         StandardTime(1, "hari", PER_DRAFT, rate=15)),
        (2, STAF, "Staf menyusun Rancangan Permensesneg dan konsep memorandum pengantar Deputi", StandardTime(4, "jam")),
        (3, KASUBBAG, "Kasubbag memeriksa konsep memorandum dan Rancangan Permensesneg", StandardTime(3, "jam")),
        (4, KABAG, "Kabag memeriksa konsep memorandum dan Rancangan Permensesneg", StandardTime(2, "jam")),
        (5, KARO, "Kepala Biro memeriksa memorandum dan Rancangan Permensesneg", StandardTime(1, "jam")),
        (6, DEPUTI, "Deputi memeriksa Rancangan Permensesneg dan menandatangani memorandum", StandardTime(1, "jam")),
    ]]
    s += [
        Step("6", "Harmonisasi Rancangan Permensesneg oleh Deputi Bidang Hukum dan Perundang-undangan",
             (DEPUTI_HUKUM,), StandardTime(1, "minggu"), tracks=ONLY_PERMEN),
        Step("7", "Menteri memeriksa dan menandatangani Permensesneg", (MENTERI,), tracks=ONLY_PERMEN),
        Step("8.a", "Biro Tata Usaha memberikan nomor dan mengagendakan Permensesneg", (BIRO_TU,), tracks=ONLY_PERMEN),
    ]
    s += [Step(f"8.b.{n}", t, (a,), block="8.b", tracks=ONLY_PERMEN) for n, a, t in [
        (1, STAF, "Staf menyiapkan draf Salinan Permensesneg"),
        (2, KASUBBAG, "Kasubbag memeriksa draf Salinan"),
        (3, KABAG, "Kabag memeriksa draf Salinan"),
        (4, KARO, "Kepala Biro memeriksa dan menandatangani Salinan"),
        (5, STAF, "Staf mengedit SP/SOP ke dalam file PDF untuk situs dan pencetakan"),
    ]]
    s += [
        Step("9.a", "Kepala Biro mengajukan permohonan pencetakan buku Permensesneg kepada Biro Umum", (KARO,),
             StandardTime(3, "jam"), tracks=ONLY_PERMEN),
        Step("9.b", "Biro Umum mencetak buku Permensesneg", (BIRO_UMUM,), tracks=ONLY_PERMEN),
        Step("9.c", "Staf mendistribusikan buku Permensesneg kepada satuan organisasi/unit kerja", (STAF,),
             StandardTime(2, "hari"), tracks=ONLY_PERMEN),
        Step("9.d", "Kepala Biro mengajukan permohonan unggah Permensesneg/SP dan SOP intern ke situs Kementerian",
             (KARO,), StandardTime(3, "jam")),
    ]
    return s


STEPS: tuple[Step, ...] = tuple(_build_steps())
STEP_BY_CODE: dict[str, Step] = {s.code: s for s in STEPS}
STEP_ORDER: dict[str, int] = {s.code: i for i, s in enumerate(STEPS)}
assert len(STEP_BY_CODE) == len(STEPS), "step codes must be unique"
assert all(s.block in BLOCKS for s in STEPS if s.block), "every block a step names exists"


def steps_for(params: CaseParams) -> list[Step]:
    """The case's checklist: the steps its track and alternatives need, in procedure order."""
    return [s for s in STEPS if s.applies(params)]


@dataclass(frozen=True)
class Judged:
    """Something the seed times, in one case's plan: a step, or a block judged as a whole."""

    code: str
    kind: str  # "step" | "block"
    name: str
    minutes: int  # the standard time in working minutes
    members: tuple[str, ...]  # the step codes whose time it covers (a block: all its steps)
    stage: int
    responsible: str  # the party it counts against when none is recorded


@dataclass(frozen=True)
class PlannedStep:
    step: Step
    offset: int  # working minutes from the case start
    duration: int  # working minutes the plan gives this step (indicative inside a block)

    @property
    def end(self) -> int:
        return self.offset + self.duration


@dataclass
class Plan:
    steps: list[PlannedStep] = field(default_factory=list)
    total: int = 0  # working minutes
    judged: dict[str, Judged] = field(default_factory=dict)  # by code, in procedure order

    def by_code(self) -> dict[str, PlannedStep]:
        return {p.step.code: p for p in self.steps}


def step_minutes(params: CaseParams, minutes_per_day: int) -> dict[str, int]:
    """Each applicable step's minutes in the plan: its own standard time, or inside a block its
    indicative share of the block's time (guidance only: such a step is not judged on it)."""
    steps = steps_for(params)
    out: dict[str, int] = {}
    for s in steps:
        if s.std:
            out[s.code] = s.std.minutes(params, minutes_per_day)
    for code, block in BLOCKS.items():
        members = [s for s in steps if s.block == code]
        if not members:
            continue
        own = sum(out.get(s.code, 0) for s in members)
        untimed = [s for s in members if s.code not in out]
        remaining = max(0, block.std.minutes(params, minutes_per_day) - own)
        for i, s in enumerate(untimed):
            # Even shares; the first steps absorb the rounding so the block sums exactly.
            share, extra = divmod(remaining, len(untimed))
            out[s.code] = share + (1 if i < extra else 0)
    for s in steps:
        out.setdefault(s.code, 0)  # no standard time in the seed (e.g. 7, 8.a, 9.b)
    return out


@dataclass(frozen=True)
class ItemInfo:
    """What every judged step or block is, whatever the case: for tables that list them."""

    code: str
    kind: str  # "step" | "block"
    name: str
    stage: int
    order: int  # position in the procedure (a block: its first step's)
    responsible: str


def _item_infos() -> dict[str, ItemInfo]:
    out: dict[str, ItemInfo] = {}
    for i, s in enumerate(STEPS):
        if s.block and s.block not in out and any(m.std is None for m in STEPS if m.block == s.block):
            out[s.block] = ItemInfo(s.block, "block", BLOCKS[s.block].name, s.stage, i, s.responsible)
        if s.std is not None:
            out[s.code] = ItemInfo(s.code, "step", s.name, s.stage, i, s.responsible)
    return out


ITEMS: dict[str, ItemInfo] = _item_infos()


def judged_items(params: CaseParams, minutes_per_day: int) -> dict[str, Judged]:
    """What is judged in a case with these parameters, in procedure order: every step the seed
    times itself, and every timed block with a step that has no time of its own (a block comes
    where its first step is)."""
    steps = steps_for(params)
    judged_blocks = {s.block for s in steps if s.block and s.std is None}
    out: dict[str, Judged] = {}
    for s in steps:
        if s.block in judged_blocks and s.block not in out:
            block = BLOCKS[s.block]
            members = tuple(m.code for m in steps if m.block == s.block)  # its span covers them all
            out[s.block] = Judged(s.block, "block", block.name, block.std.minutes(params, minutes_per_day), members,
                                  s.stage, s.responsible)
        if s.std is not None:
            out[s.code] = Judged(s.code, "step", s.name_for(params), s.std.minutes(params, minutes_per_day),
                                 (s.code,), s.stage, s.responsible)
    return out


@lru_cache(maxsize=4096)
def plan(params: CaseParams, minutes_per_day: int) -> Plan:
    """Sequential plan of a case: each step after the previous, block slack at the block's end."""
    sla = step_minutes(params, minutes_per_day)
    result = Plan(judged=judged_items(params, minutes_per_day))
    t = 0
    steps = steps_for(params)
    for i, s in enumerate(steps):
        result.steps.append(PlannedStep(s, t, sla[s.code]))
        t += sla[s.code]
        nxt = steps[i + 1] if i + 1 < len(steps) else None
        if s.block and (nxt is None or nxt.block != s.block):
            block_time = BLOCKS[s.block].std.minutes(params, minutes_per_day)
            used = sum(sla[m.code] for m in steps if m.block == s.block)
            t += max(0, block_time - used)
    result.total = t
    return result


def planned_minutes(params: CaseParams, minutes_per_day: int) -> int:
    """Planned working duration of a whole case from its parameters."""
    return plan(params, minutes_per_day).total


def stage_of(code: str) -> int:
    return int(code.split(".")[0])


def stage_of_code(code) -> int | None:
    """The stage of a stored step code, None for a code that is not a step of the procedure."""
    step = STEP_BY_CODE.get(code)
    return step.stage if step else None
