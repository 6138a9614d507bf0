"""Where the default database, the resources and the annotator's name live; the default database's first start."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.core import paths, profile
from annotator.core.errors import AnnotatorError, DatabaseError
from annotator.core.store import Store


def test_the_default_places_follow_the_platform(_isolated_user_dirs: Path) -> None:
    home = _isolated_user_dirs
    assert paths.default_database() == home / "data" / "annotator" / "annotations.db"
    assert profile.profile_path() == home / "config" / "annotator" / "profile.json"
    assert (paths.resources_dir() / "annotator.qss").is_file()
    assert sorted(p.suffix for p in paths.seeds_dir().iterdir()) == [".txt"] * 5


def test_the_annotator_name_is_saved_tidied_and_read_back() -> None:
    assert profile.annotator_name() is None  # never set
    assert profile.set_annotator_name("  Zoë \t Ana  ") == "Zoë Ana"
    assert profile.annotator_name() == "Zoë Ana"
    # plain UTF-8 JSON, and nothing else left in the folder
    assert profile.profile_path().read_bytes() == '{"annotator": "Zoë Ana"}'.encode()
    assert [p.name for p in profile.profile_path().parent.iterdir()] == ["profile.json"]
    assert profile.set_annotator_name("Bo") == "Bo"  # the folder exists now: saved again all the same
    assert profile.annotator_name() == "Bo"
    with pytest.raises(AnnotatorError) as empty:
        profile.set_annotator_name(" \n ")
    assert str(empty.value) == "the annotator name cannot be empty"
    assert profile.annotator_name() == "Bo"


@pytest.mark.parametrize("content", [b"not json", b'["Bo"]', b'{"annotator": 7}', b'{"annotator": "  "}',
                                     b'{"name": "Bo"}', b"\xff\xfe"],
                         ids=["not-json", "a-list", "a-number", "blank", "no-name", "not-utf8"])
def test_an_unusable_profile_means_no_name(content: bytes) -> None:
    path = profile.profile_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert profile.annotator_name() is None


def test_a_name_with_spaces_around_it_in_the_file_is_read_without_them() -> None:
    path = profile.profile_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"annotator": " Rita "}), encoding="utf-8")
    assert profile.annotator_name() == "Rita"


def test_a_profile_that_cannot_be_saved_says_where(_isolated_user_dirs: Path) -> None:
    (_isolated_user_dirs / "config").write_text("a file where the folder should be")
    with pytest.raises(AnnotatorError) as failed:
        profile.set_annotator_name("Bo")
    assert str(failed.value) == f"cannot save the annotator name in {profile.profile_path()}: Not a directory"


def test_the_login_name_without_a_login(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_login() -> str:
        raise OSError("no login name here")

    monkeypatch.setattr(paths.getpass, "getuser", no_login)
    monkeypatch.setenv("USER", "ana")
    assert paths.login_name() == "ana"
    monkeypatch.delenv("USER")
    assert paths.login_name() == "annotator"


def test_the_default_database_is_filled_once_and_a_named_one_never(tmp_path: Path) -> None:
    with paths.open_database("") as store:  # an empty name is no name
        assert store.path == paths.default_database()
        assert store.article_count() == 5
    with paths.open_database() as store:
        assert store.article_count() == 5
    named = tmp_path / "named.db"
    with paths.open_database(named) as store:
        assert store.path == named and store.article_count() == 0


def test_an_empty_read_only_default_database_opens_without_seeds() -> None:
    target = paths.default_database()
    target.parent.mkdir(parents=True)
    Store.open(target).close()
    os.chmod(target, 0o444)
    with paths.open_database() as store:
        assert store.read_only and store.article_count() == 0


def test_a_default_folder_that_cannot_be_made_says_why(_isolated_user_dirs: Path) -> None:
    (_isolated_user_dirs / "data").write_text("a file where the folder should be")
    with pytest.raises(DatabaseError) as failed:
        paths.open_database()
    assert str(failed.value) == f"cannot create the folder {paths.default_database().parent}: Not a directory"
