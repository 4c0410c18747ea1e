"""Texts of the e-mail notices and digests, and of the notice settings on the account page (notice.*)."""

TEXTS = {
    # kinds, as the account page lists them
    "notice.kind.langkah_mulai": {"id": "Langkah dimulai dan kini giliran saya atau unit saya",
                                  "en": "A step starts and the clock is mine or my unit's"},
    "notice.kind.langkah_jatuh_tempo": {"id": "Langkah jatuh tempo dalam satu hari kerja",
                                        "en": "A step falls due within one working day"},
    "notice.kind.langkah_terlambat": {"id": "Langkah melewati tenggat", "en": "A step becomes overdue"},
    "notice.kind.pengaduan_didelegasikan": {"id": "Pengaduan didelegasikan kepada saya",
                                            "en": "A complaint is delegated to me"},
    "notice.kind.pengaduan_ditugaskan": {"id": "Saya ditugaskan menindaklanjuti pengaduan",
                                         "en": "I am assigned to follow up a complaint"},
    "notice.kind.pengaduan_jatuh_tempo": {"id": "Pengaduan giliran saya jatuh tempo dalam satu hari kerja",
                                          "en": "A complaint in my hands falls due within one working day"},
    "notice.kind.pengaduan_terlambat": {"id": "Pengaduan giliran saya melewati tenggat jawaban",
                                        "en": "A complaint in my hands passes its response due date"},
    "notice.kind.usulan_diputuskan": {"id": "Usulan unit saya diterima atau ditolak",
                                      "en": "A proposal of my unit is accepted or declined"},
    "notice.kind.ringkasan_harian": {"id": "Ringkasan harian (setiap hari kerja)",
                                     "en": "Daily digest (every working day)"},
    "notice.kind.ringkasan_mingguan": {"id": "Ringkasan mingguan untuk pimpinan",
                                       "en": "Weekly digest for leadership"},
    "notice.kind.pengaduan_tanda_terima": {"id": "Tanda terima pengaduan", "en": "Complaint receipt"},
    "notice.kind.pengaduan_jawaban": {"id": "Jawaban pengaduan", "en": "Complaint answer"},
    # the account page
    "notice.settings": {"id": "Pemberitahuan e-mail", "en": "E-mail notices"},
    "notice.settings.email": {"id": "Dikirim ke: {email}", "en": "Sent to: {email}"},
    "notice.settings.no_email": {
        "id": "Akun Anda belum memiliki alamat e-mail, jadi tidak ada pemberitahuan yang dikirim. "
              "Minta administrator mencantumkannya.",
        "en": "Your account has no e-mail address, so no notices are sent. Ask the administrator to add it."},
    "notice.settings.off": {"id": "Pengiriman e-mail belum diaktifkan di server ini; pilihan Anda tetap disimpan.",
                            "en": "Sending e-mail is not switched on for this server; your choices are kept."},
    "notice.settings.none": {"id": "Peran Anda tidak menerima pemberitahuan e-mail.",
                             "en": "Your roles receive no e-mail notices."},
    "notice.settings.lang": {"id": "Bahasa e-mail", "en": "Language of the mails"},
    "notice.settings.save": {"id": "Simpan pilihan pemberitahuan", "en": "Save notice choices"},
    "notice.settings.saved": {"id": "Pilihan pemberitahuan disimpan.", "en": "Notice choices saved."},
    "notice.settings.unchanged": {"id": "Tidak ada yang berubah.", "en": "Nothing changed."},
    "notice.err.lang": {"id": "Bahasa e-mail: pilih Bahasa Indonesia atau English.",
                        "en": "Language of the mails: choose Bahasa Indonesia or English."},
    "notice.err.kind": {"id": "Pemberitahuan: jenis '{kind}' tidak tersedia untuk peran Anda.",
                        "en": "Notices: kind '{kind}' is not offered to your roles."},
    "notice.err.naive_time": {"id": "Waktu harus memuat zona waktu.", "en": "The time must carry a time zone."},
    # the calendar feed
    "notice.ical.name": {"id": "SOP Tracker: tenggat {name}", "en": "SOP Tracker: due dates of {name}"},
    "notice.ical.step": {"id": "Tenggat langkah {code} {number} {title}", "en": "Step {code} due: {number} {title}"},
    "notice.ical.complaint": {"id": "Tenggat jawaban pengaduan {receipt}: {subject}",
                              "en": "Response due for complaint {receipt}: {subject}"},
    "notice.ical.heading": {"id": "Kalender tenggat", "en": "Calendar of due dates"},
    "notice.ical.intro": {
        "id": "Tambahkan tautan rahasia ini ke program kalender Anda (langganan melalui URL) untuk melihat "
              "tenggat langkah dan pengaduan Anda. Siapa pun yang memegang tautan dapat membacanya: buat tautan "
              "baru bila tautan lama tersebar.",
        "en": "Add this secret link to your calendar program (subscribe by URL) to see the due instants of "
              "your steps and complaints. Anyone holding the link can read it: make a new one if the old one "
              "was shared."},
    "notice.ical.make": {"id": "Buat tautan kalender", "en": "Make a calendar link"},
    "notice.ical.renew": {"id": "Ganti tautan kalender", "en": "Replace the calendar link"},
    "notice.ical.made": {"id": "Tautan kalender dibuat; isinya tersedia setelah pengiriman terjadwal berikutnya.",
                         "en": "Calendar link made; it fills at the next scheduled run."},
    # subjects
    "notice.subject.langkah_mulai": {"id": "Langkah {code} kasus {number} kini giliran {who}",
                                     "en": "Step {code} of case {number} is now with {who}"},
    "notice.subject.langkah_jatuh_tempo": {"id": "Pengingat: langkah {code} kasus {number} jatuh tempo {due}",
                                           "en": "Reminder: step {code} of case {number} is due {due}"},
    "notice.subject.langkah_terlambat": {"id": "Terlambat: langkah {code} kasus {number} lewat tenggat {due}",
                                         "en": "Overdue: step {code} of case {number} was due {due}"},
    "notice.subject.pengaduan_didelegasikan": {"id": "Pengaduan {receipt} didelegasikan kepada Anda",
                                               "en": "Complaint {receipt} delegated to you"},
    "notice.subject.pengaduan_ditugaskan": {"id": "Anda ditugaskan menindaklanjuti pengaduan {receipt}",
                                            "en": "You are assigned to follow up complaint {receipt}"},
    "notice.subject.pengaduan_jatuh_tempo": {"id": "Pengingat: pengaduan {receipt} jatuh tempo {due}",
                                             "en": "Reminder: complaint {receipt} is due {due}"},
    "notice.subject.pengaduan_terlambat": {"id": "Terlambat: pengaduan {receipt} lewat tenggat {due}",
                                           "en": "Overdue: complaint {receipt} was due {due}"},
    "notice.subject.usulan_diterima": {"id": "Usulan {number} diterima", "en": "Proposal {number} accepted"},
    "notice.subject.usulan_ditolak": {"id": "Usulan {number} ditolak", "en": "Proposal {number} declined"},
    "notice.subject.pengaduan_tanda_terima": {"id": "Tanda terima pengaduan {receipt}",
                                              "en": "Receipt of complaint {receipt}"},
    "notice.subject.pengaduan_jawaban": {"id": "Jawaban atas pengaduan {receipt}",
                                         "en": "Answer to complaint {receipt}"},
    "notice.subject.ringkasan_harian": {
        "id": "Ringkasan harian {date}: {overdue} terlambat, {due} segera jatuh tempo, {new} pengaduan baru",
        "en": "Daily digest {date}: overdue {overdue}, falling due {due}, new complaints {new}"},
    "notice.subject.ringkasan_mingguan": {"id": "Ringkasan mingguan SOP Tracker, pekan {week}",
                                          "en": "SOP Tracker weekly digest, week {week}"},
    # bodies
    "notice.greeting": {"id": "Yth. {name},", "en": "Dear {name},"},
    "notice.greeting.plain": {"id": "Yth. Bapak/Ibu,", "en": "Dear Sir or Madam,"},
    "notice.body.langkah_mulai": {
        "id": "Langkah {code} kasus {number} telah dimulai. Waktu standarnya kini berjalan pada {who}.",
        "en": "Step {code} of case {number} has started. Its standard time now runs with {who}."},
    "notice.body.langkah_mulai.due": {"id": "Tenggat langkah ini: {due}.", "en": "This step is due {due}."},
    "notice.body.langkah_mulai.no_due": {"id": "Standar pelayanan tidak menetapkan waktu untuk langkah ini.",
                                         "en": "The service standard sets no time for this step."},
    "notice.body.langkah_jatuh_tempo": {
        "id": "Langkah {code} kasus {number} jatuh tempo dalam satu hari kerja: {due}.",
        "en": "Step {code} of case {number} falls due within one working day: {due}."},
    "notice.body.langkah_terlambat": {
        "id": "Langkah {code} kasus {number} telah melewati tenggatnya ({due}) dan masih berjalan. "
              "Keterlambatan dihitung pada {who}.",
        "en": "Step {code} of case {number} passed its due instant ({due}) and is still running. "
              "The delay counts against {who}."},
    "notice.body.pengaduan_didelegasikan": {
        "id": "Kepala Biro mendelegasikan tindak lanjut pengaduan {receipt} kepada Anda. Tenggat jawaban: {due}.",
        "en": "The Head of Bureau delegated the follow-up of complaint {receipt} to you. Response due: {due}."},
    "notice.body.pengaduan_ditugaskan": {
        "id": "Kabag menugaskan Anda menindaklanjuti pengaduan {receipt}. Tenggat jawaban: {due}.",
        "en": "The Kabag assigned you to follow up complaint {receipt}. Response due: {due}."},
    "notice.body.pengaduan_jatuh_tempo": {
        "id": "Pengaduan {receipt} belum dijawab dan jatuh tempo dalam satu hari kerja: {due}.",
        "en": "Complaint {receipt} is not answered yet and falls due within one working day: {due}."},
    "notice.body.pengaduan_terlambat": {
        "id": "Pengaduan {receipt} telah melewati tenggat jawabannya ({due}) dan belum dijawab.",
        "en": "Complaint {receipt} passed its response due date ({due}) and is not answered yet."},
    "notice.body.usulan_diterima": {
        "id": "Usulan {number} dari {unit} diterima Biro. Kasus {case} dibuka untuk penyusunannya.",
        "en": "Proposal {number} of {unit} was accepted by the Bureau. Case {case} was opened to draft it."},
    "notice.body.usulan_ditolak": {
        "id": "Usulan {number} dari {unit} tidak dapat diterima Biro. Alasannya tertulis di bawah ini.",
        "en": "Proposal {number} of {unit} was declined by the Bureau. The reason is given below."},
    "notice.body.pengaduan_tanda_terima": {
        "id": "Pengaduan Anda telah kami terima dengan nomor {receipt}. Simpan nomor ini untuk melihat "
              "statusnya. Biro menjawab paling lambat {due}.",
        "en": "We received your complaint as number {receipt}. Keep this number to look up its status. "
              "The Bureau answers by {due}."},
    "notice.body.pengaduan_jawaban": {
        "id": "Pengaduan Anda nomor {receipt} telah dijawab. Jawabannya sebagai berikut.",
        "en": "Your complaint number {receipt} has been answered. The answer follows."},
    "notice.body.status_howto": {
        "id": "Status pengaduan dapat dilihat dengan nomor tanda terima dan alamat e-mail ini.",
        "en": "Look up the status with the receipt number and this e-mail address."},
    "notice.body.ringkasan_harian": {"id": "Ringkasan hari kerja {date}.", "en": "Digest of the working day {date}."},
    "notice.body.ringkasan_mingguan": {
        "id": "Ringkasan pekan {week}: {active} kasus aktif, {late} di antaranya terlambat; {finished} kasus "
              "selesai dalam tujuh hari terakhir; pengaduan terbuka {open}, lewat tenggat {overdue}.",
        "en": "Digest of week {week}: {active} active cases, {late} of them late; {finished} cases finished "
              "in the past seven days; complaints open {open}, overdue {overdue}."},
    "notice.digest.overdue_steps": {"id": "Langkah terlambat ({n})", "en": "Overdue steps ({n})"},
    "notice.digest.due_steps": {"id": "Langkah jatuh tempo dalam 5 hari kerja ({n})",
                                "en": "Steps falling due within 5 working days ({n})"},
    "notice.digest.overdue_complaints": {"id": "Pengaduan lewat tenggat ({n})", "en": "Overdue complaints ({n})"},
    "notice.digest.due_complaints": {"id": "Pengaduan jatuh tempo dalam 5 hari kerja ({n})",
                                     "en": "Complaints falling due within 5 working days ({n})"},
    "notice.digest.new_complaints": {"id": "Pengaduan baru, menunggu keputusan Karo ({n})",
                                     "en": "New complaints awaiting the Karo's decision ({n})"},
    "notice.digest.step_late": {"id": "{number} {title}: langkah {code} ({who}), tenggat {due}, {late}",
                                "en": "{number} {title}: step {code} ({who}), due {due}, {late}"},
    "notice.digest.step_due": {"id": "{number} {title}: langkah {code} ({who}), tenggat {due}",
                               "en": "{number} {title}: step {code} ({who}), due {due}"},
    "notice.digest.complaint": {"id": "{receipt} {subject} ({unit}), tenggat {due}",
                                "en": "{receipt} {subject} ({unit}), due {due}"},
    "notice.digest.more": {"id": "… dan {n} lainnya", "en": "… and {n} more"},
    "notice.digest.nothing": {"id": "Tidak ada.", "en": "None."},
    # details
    "notice.field.case": {"id": "Kasus", "en": "Case"},
    "notice.field.units": {"id": "Unit kerja", "en": "Units"},
    "notice.field.step": {"id": "Langkah", "en": "Step"},
    "notice.field.who": {"id": "Giliran", "en": "With"},
    "notice.field.pic": {"id": "PIC", "en": "PIC"},
    "notice.field.started": {"id": "Mulai", "en": "Started"},
    "notice.field.due": {"id": "Tenggat", "en": "Due"},
    "notice.field.late": {"id": "Keterlambatan", "en": "Delay"},
    "notice.field.receipt": {"id": "Nomor", "en": "Number"},
    "notice.field.subject": {"id": "Perihal", "en": "Subject"},
    "notice.field.kind": {"id": "Jenis", "en": "Kind"},
    "notice.field.unit": {"id": "Unit kerja", "en": "Unit"},
    "notice.field.instruction": {"id": "Arahan", "en": "Instruction"},
    "notice.field.filed": {"id": "Diterima", "en": "Received"},
    "notice.field.answer": {"id": "Jawaban", "en": "Answer"},
    "notice.field.reason": {"id": "Alasan", "en": "Reason"},
    "notice.field.doc_kind": {"id": "Dokumen", "en": "Documents"},
    # links
    "notice.link.case": {"id": "Buka kasus", "en": "Open the case"},
    "notice.link.complaint": {"id": "Buka pengaduan", "en": "Open the complaint"},
    "notice.link.proposals": {"id": "Lihat usulan", "en": "See the proposals"},
    "notice.link.status": {"id": "Lihat status pengaduan", "en": "Look up the complaint"},
    "notice.link.cases": {"id": "Buka daftar kasus", "en": "Open the case list"},
    "notice.link.dashboard": {"id": "Buka dasbor", "en": "Open the dashboard"},
    "notice.link.inbox": {"id": "Buka kotak pengaduan", "en": "Open the complaint inbox"},
    "notice.footer": {
        "id": "Pesan ini dikirim otomatis oleh SOP Tracker Biro Organisasi, Tata Laksana, dan Akuntabilitas "
              "Kinerja. Atur pemberitahuan yang Anda terima di halaman akun: {url}",
        "en": "This message was sent automatically by the SOP Tracker of the Bureau of Organisation, Governance "
              "and Performance Accountability. Choose the notices you get on your account page: {url}"},
    "notice.footer.public": {
        "id": "Pesan ini dikirim otomatis oleh SOP Tracker Biro Organisasi, Tata Laksana, dan Akuntabilitas "
              "Kinerja karena alamat ini dicantumkan saat pengajuan. Mohon tidak membalas pesan ini.",
        "en": "This message was sent automatically by the SOP Tracker of the Bureau of Organisation, Governance "
              "and Performance Accountability because this address was given when filing. Please do not reply."},
}
