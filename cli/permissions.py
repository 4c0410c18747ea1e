"""Print the permission matrix as a Markdown table (for README's "Peran dan hak akses").

    python -m cli.permissions
"""
from domain.permissions import matrix_markdown


def main() -> int:
    print(matrix_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
