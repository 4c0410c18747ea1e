"""Texts of the stores' messages (Google Sheets): what went wrong and what to do, by kind. Only a
store that cannot be reached invites trying again; the other kinds say what to fix first."""

_RETRY_ID = "Isian Anda tetap ada; coba lagi sebentar lagi."
_RETRY_EN = "Your input is kept; try again in a moment."

TEXTS = {
    # ---- cannot reach: the only kind worth trying again ------------------------------------------
    "store.unreachable.http": {
        "id": "Google Sheets tidak dapat dihubungi (HTTP {status}: {detail}); sudah dicoba {tries} kali. " + _RETRY_ID,
        "en": "Google Sheets cannot be reached (HTTP {status}: {detail}); tried {tries} times. " + _RETRY_EN},
    "store.unreachable.timeout": {
        "id": "Google Sheets tidak dapat dihubungi (tidak ada jawaban dalam batas waktu). " + _RETRY_ID,
        "en": "Google Sheets cannot be reached (no answer in time). " + _RETRY_EN},
    "store.unreachable.connection": {
        "id": "Google Sheets tidak dapat dihubungi (koneksi ditolak atau terputus). " + _RETRY_ID,
        "en": "Google Sheets cannot be reached (connection refused or dropped). " + _RETRY_EN},
    "store.unreachable.write_timeout": {
        "id": "Google Sheets tidak dapat dihubungi (tidak ada jawaban dalam batas waktu). Perubahan mungkin "
              "tetap tersimpan: muat ulang halaman untuk memeriksanya sebelum menyimpan lagi.",
        "en": "Google Sheets cannot be reached (no answer in time). The change may have been stored all the "
              "same: reload the page to check before saving again."},
    # ---- refused access ------------------------------------------------------------------------------
    "store.refused.share": {
        "id": "Google Sheets menolak akses: {account} tidak berhak membuka spreadsheet {spreadsheet}. Bagikan "
              "spreadsheet itu ke alamat tersebut sebagai Editor (README, bagian 'Google Sheets').",
        "en": "Google Sheets refused access: {account} may not open spreadsheet {spreadsheet}. Share that "
              "spreadsheet with this address as Editor (README, section 'Google Sheets')."},
    "store.refused.sign_in": {
        "id": "Google Sheets menolak akses: akun layanan Google tidak dapat masuk ({detail}). Periksa "
              "[gcp_service_account] di secrets.toml (README, bagian 'Google Sheets').",
        "en": "Google Sheets refused access: the Google service account cannot sign in ({detail}). Check "
              "[gcp_service_account] in secrets.toml (README, section 'Google Sheets')."},
    "store.refused.request": {
        "id": "Google Sheets menolak permintaan (HTTP {status}): {detail}",
        "en": "Google Sheets refused the request (HTTP {status}): {detail}"},
    # ---- not found ----------------------------------------------------------------------------------
    "store.not_found": {
        "id": "Spreadsheet {spreadsheet} tidak ditemukan di Google Sheets. Periksa sheets_key (kunci atau URL "
              "spreadsheet) di konfigurasi.",
        "en": "Spreadsheet {spreadsheet} was not found on Google Sheets. Check sheets_key (the spreadsheet's key "
              "or URL) in the configuration."},
    # ---- configuration ------------------------------------------------------------------------------
    "store.config.no_key": {
        "id": "Penyimpanan 'sheets' dipilih tetapi sheets_key (kunci atau URL spreadsheet) belum diisi di "
              "[sop_tracker] atau SOP_SHEETS_KEY. Lihat README, bagian 'Google Sheets'.",
        "en": "The 'sheets' store is chosen but sheets_key (the spreadsheet's key or URL) is not set in "
              "[sop_tracker] or SOP_SHEETS_KEY. See README, section 'Google Sheets'."},
    "store.config.no_account": {
        "id": "Penyimpanan 'sheets' dipilih tetapi akun layanan belum diisi: tempel isi berkas JSON akun "
              "layanan sebagai [gcp_service_account] di .streamlit/secrets.toml (atau "
              "SOP_SERVICE_ACCOUNT_FILE). Lihat README, bagian 'Google Sheets'.",
        "en": "The 'sheets' store is chosen but no service account is set: paste the service account's "
              "JSON file as [gcp_service_account] into .streamlit/secrets.toml (or set "
              "SOP_SERVICE_ACCOUNT_FILE). See README, section 'Google Sheets'."},
    "store.config.bad_account": {
        "id": "[gcp_service_account] tidak lengkap atau rusak ({detail}). Tempel ulang seluruh isi berkas "
              "JSON akun layanan. Lihat README, bagian 'Google Sheets'.",
        "en": "[gcp_service_account] is incomplete or damaged ({detail}). Paste the whole JSON file of the "
              "service account again. See README, section 'Google Sheets'."},
    # ---- a header renamed, a sheet not as the app wrote it ------------------------------------------
    "store.layout.missing": {
        "id": "Lembar '{sheet}' di Google Sheets tidak memiliki kolom {columns} di baris judul. Kembalikan "
              "nama kolom itu; aplikasi tidak menulis ke lembar yang tidak dikenalinya.",
        "en": "Sheet '{sheet}' on Google Sheets has no column {columns} in its header row. Restore that "
              "column's name; the app does not write to a sheet it does not recognise."},
    "store.layout.renamed": {
        "id": "Lembar '{sheet}' di Google Sheets tidak memiliki kolom {columns} di baris judul. Kolom yang "
              "tidak dikenal: {unknown} — apakah diganti namanya? Kembalikan nama kolom itu; aplikasi tidak "
              "menulis ke lembar yang tidak dikenalinya.",
        "en": "Sheet '{sheet}' on Google Sheets has no column {columns} in its header row. Unknown "
              "columns: {unknown} — renamed? Restore that column's name; the app does not write to a "
              "sheet it does not recognise."},
    "store.layout.no_header": {
        "id": "Lembar '{sheet}' berisi data tetapi baris pertamanya (judul kolom) kosong. Aplikasi tidak "
              "menulis ke lembar yang tidak dikenalinya; isi baris judul dengan: {columns}.",
        "en": "Sheet '{sheet}' holds data but its first row (the column names) is empty. The app does not "
              "write to a sheet it does not recognise; fill the header row with: {columns}."},
    "store.layout.duplicate_column": {
        "id": "Lembar '{sheet}': kolom '{column}' muncul dua kali di baris judul. Hapus salah satunya.",
        "en": "Sheet '{sheet}': column '{column}' appears twice in the header row. Remove one of them."},
    "store.layout.header_not_first": {
        "id": "Lembar '{sheet}': baris judul tidak ditemukan di baris 1.",
        "en": "Sheet '{sheet}': the header row is not in row 1."},
    "store.layout.duplicate_id": {
        "id": "Lembar '{sheet}': ID {id} ada di lebih dari satu baris ({rows}). Hapus baris gandanya; "
              "perubahan tidak disimpan.",
        "en": "Sheet '{sheet}': ID {id} is in more than one row ({rows}). Delete the duplicate row; the "
              "change was not saved."},
    "store.layout.claim_missing": {
        "id": "Nomor urut {sequence} tidak dapat dipastikan: baris klaim di lembar '{sheet}' hilang. Lembar "
              "itu tidak boleh diubah manual.",
        "en": "Number {sequence} cannot be determined: its claim row in sheet '{sheet}' is gone. That sheet "
              "must not be edited by hand."},
    # ---- a cell cannot be read ----------------------------------------------------------------------
    "store.cell.unreadable": {
        "id": "Lembar '{sheet}' baris {row} kolom '{column}': {value} {reason}. Perbaiki sel itu di "
              "Google Sheets.",
        "en": "Sheet '{sheet}' row {row} column '{column}': {value} {reason}. Fix that cell in Google "
              "Sheets."},
    "store.cell.mark": {"id": "⚠ tidak dapat dibaca: «{value}»", "en": "⚠ cannot be read: «{value}»"},
    "store.cell.form_note": {
        "id": "{field} di Google Sheets tidak dapat dibaca («{value}»), maka kosong di sini. Simpanan lain tidak "
              "mengubah sel itu; isi {field} di sini untuk menggantinya, atau perbaiki sel itu di Google Sheets.",
        "en": "{field} on Google Sheets cannot be read («{value}»), so it is empty here. Other saves leave that "
              "cell as it is; fill in {field} here to replace it, or fix the cell in Google Sheets."},
    "store.cell.reason.int": {"id": "bukan bilangan bulat", "en": "is not a whole number"},
    "store.cell.reason.float": {"id": "bukan angka", "en": "is not a number"},
    "store.cell.reason.bool": {"id": "bukan TRUE/FALSE", "en": "is not TRUE/FALSE"},
    "store.cell.reason.date": {"id": "bukan tanggal yang dapat dibaca (misalnya 5/12/2026 atau 5 Desember 2026)",
                               "en": "is not a readable date (for example 5/12/2026 or 5 December 2026)"},
    "store.cell.reason.datetime": {"id": "bukan waktu yang dapat dibaca (misalnya 5/12/2026 14.30)",
                                   "en": "is not a readable time (for example 5/12/2026 14.30)"},
    "store.cell.reason.list": {"id": "bukan daftar", "en": "is not a list"},
    "store.cell.reason.version": {"id": "bukan nomor versi; simpanan ke baris ini ditolak sampai sel itu "
                                        "diperbaiki",
                                  "en": "is not a version number; saves to this row are refused until the "
                                        "cell is fixed"},
    # ---- values the store refuses before sending anything -------------------------------------------
    "store.value.too_big": {"id": "{column}: angka terlalu besar untuk Google Sheets",
                            "en": "{column}: number too large for Google Sheets"},
    "store.value.not_number": {"id": "{column}: bukan angka yang dapat disimpan",
                               "en": "{column}: not a number that can be stored"},
    "store.value.too_long": {"id": "{column}: teks terlalu panjang untuk Google Sheets ({n} karakter; paling "
                                   "banyak 50.000)",
                             "en": "{column}: text too long for Google Sheets ({n} characters; at most 50,000)"},
    "store.write.no_actor": {"id": "Setiap perubahan harus mencatat siapa yang melakukannya",
                             "en": "Every change must record who made it"},
    "store.write.id_exists": {"id": "{table} dengan ID {id} sudah ada", "en": "{table} with ID {id} exists already"},
    "store.write.same_batch": {"id": "{table} {id}: baru dibuat dalam simpanan yang sama",
                               "en": "{table} {id}: created in the same save"},
    "store.write.id_twice": {"id": "{table} dengan ID {id} muncul dua kali", "en": "{table} with ID {id} appears twice"},
    "store.write.no_id": {"id": "{table}: baris tanpa ID", "en": "{table}: a row without an ID"},
    "store.sequence.empty": {"id": "Nama penomoran kosong", "en": "The numbering has no name"},
    "store.sequence.exhausted": {"id": "Penomoran {sequence}: tidak ada nomor bebas", "en": "Numbering {sequence}: no free number"},
}
