"""Checkpoints never lose anything: refusals, recovery, concurrency, damage, format."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
from pathlib import Path

import course_utils as cu
from course_utils import checkpoints
from course_utils.checkpoints import CheckpointError

import numpy as np
import paddle
import pytest
from paddle import nn
from tiny import TinyData, fit, params_of, prepared, tiny_net


@pytest.fixture
def saved(tmp_path: Path):
    """A model trained two epochs, its history and a checkpoint of it."""
    model = prepared()
    history = fit(model, TinyData(), TinyData(32, seed=1), epochs=2)
    path = cu.save_checkpoint(model, tmp_path / "tiny", history)
    return model, history, path


# ---------------------------------------------------------------- 1. nothing of yours is replaced


def test_a_folder_of_yours_is_never_replaced(tmp_path):
    """saving onto a folder that is not a course checkpoint refuses and keeps its files"""
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "thesis.txt").write_text("three years of work")
    with pytest.raises(CheckpointError, match="will not replace") as error:
        cu.save_checkpoint(prepared(), folder)
    assert (folder / "thesis.txt").read_text() == "three years of work"
    assert "不会覆盖" in str(error.value)
    with pytest.raises(CheckpointError):
        cu.save_inference(prepared(), folder)
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.txt"]


def test_a_file_is_never_replaced(tmp_path):
    """saving onto a file refuses and leaves the file"""
    file = tmp_path / "notes.md"
    file.write_text("notes")
    with pytest.raises(CheckpointError, match="a file"):
        cu.save_checkpoint(prepared(), file)
    assert file.read_text() == "notes"


def test_a_course_checkpoint_is_replaced(saved):
    """saving again onto a course checkpoint replaces it and leaves no leftovers"""
    model, history, path = saved
    fit(model, TinyData(), epochs=1, history=history)
    cu.save_checkpoint(model, path, history)
    assert json.loads((path / "meta.json").read_text())["epochs"] == 3
    assert sorted(p.name for p in path.parent.iterdir()) == [".tiny.lock", "tiny"]


@pytest.mark.parametrize(
    "name", ["../notebooks", "/etc", "a/b", "a\\b", "", ".hidden", "..", "x" * 101, "a\x00b"]
)
def test_checkpoint_names_are_plain_names(name):
    """checkpoint_path refuses folders, parents, absolute and hidden names"""
    with pytest.raises(ValueError, match="plain name"):
        cu.checkpoint_path(name)


@pytest.mark.parametrize("name", [3, None, Path("lenet")])
def test_checkpoint_names_are_strings(name):
    """a name that is not a string is a TypeError naming `name`"""
    with pytest.raises(TypeError, match="`name`"):
        cu.checkpoint_path(name)


@pytest.mark.parametrize(("quick", "name"), [("1", "lenet-quick"), ("", "lenet")])
def test_quick_checkpoints_are_kept_apart(monkeypatch, tmp_path, quick, name):
    """quick mode writes its own checkpoint so it never replaces a full run's"""
    monkeypatch.setenv("COURSE_QUICK", quick)
    monkeypatch.setenv("COURSE_CHECKPOINT_DIR", str(tmp_path))
    assert cu.checkpoint_path("lenet") == tmp_path / name


# ---------------------------------------------------------------- 2. recovery and concurrency


def test_interrupted_save_leaves_the_previous_checkpoint(saved, monkeypatch):
    """a save that fails halfway keeps the old checkpoint loadable and leaves no temporary folder"""
    model, _, path = saved
    before = (path / "model.safetensors").read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(checkpoints, "describe_layers", crash)
    with pytest.raises(KeyboardInterrupt):
        cu.save_checkpoint(model, path)
    monkeypatch.undo()
    assert (path / "model.safetensors").read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [".tiny.lock", "tiny"]
    cu.load_checkpoint(prepared(), path)


def _old(path: Path, stamp: int, epochs: int) -> Path:
    """A copy of the checkpoint at `path` moved aside as a save would, claiming `epochs`."""
    aside = path.with_name(f".{path.name}.old-{stamp:020d}-{99999 - stamp % 1000}")
    os.system(f"cp -r '{path}' '{aside}'")
    meta = json.loads((aside / "meta.json").read_text())
    meta["history"] = meta["history"][:epochs]
    (aside / "meta.json").write_text(json.dumps(meta))
    return aside


def test_recovery_restores_the_newest_checkpoint_and_cleans_the_rest(saved):
    """a save stopped between renames: the newest set-aside checkpoint comes back, older go"""
    _, _, path = saved
    _old(path, 1_000, epochs=1)  # stale, from an older interrupted save (higher pid)
    _old(path, 3_000, epochs=2)  # the newest
    import shutil

    shutil.rmtree(path)
    history = cu.load_checkpoint(prepared(), path)
    assert len(history.records) == 2
    assert sorted(p.name for p in path.parent.iterdir()) == [".tiny.lock", "tiny"]


def test_a_leftover_after_the_second_rename_is_removed(saved):
    """a set-aside checkpoint left by a kill after both renames is removed by the next save"""
    model, history, path = saved
    _old(path, 2_000, epochs=1)
    cu.save_checkpoint(model, path, history)
    assert sorted(p.name for p in path.parent.iterdir()) == [".tiny.lock", "tiny"]


def test_leftovers_that_are_not_ours_are_kept(saved):
    """a folder that merely looks like a leftover, without the marker, is not deleted"""
    model, history, path = saved
    lookalike = path.with_name(f".{path.name}.old-123")
    lookalike.mkdir()
    (lookalike / "mine.txt").write_text("keep me")
    cu.save_checkpoint(model, path, history)
    assert (lookalike / "mine.txt").read_text() == "keep me"


def _save_many(folder: str, times: int) -> int:
    paddle.set_device("cpu")
    model = prepared()
    errors = 0
    for _ in range(times):
        try:
            cu.save_checkpoint(model, Path(folder) / "shared")
        except Exception:  # noqa: BLE001 - counted and asserted on
            errors += 1
    return errors


def test_concurrent_saves_never_fail_and_leave_a_loadable_checkpoint(tmp_path):
    """two processes saving the same checkpoint 15 times each: no error, one good checkpoint"""
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        errors = pool.starmap(_save_many, [(str(tmp_path), 15)] * 2)
    assert errors == [0, 0]
    cu.load_checkpoint(prepared(), tmp_path / "shared")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".shared.lock", "shared"]


# ---------------------------------------------------------------- 3. damaged or mismatched


def test_checkpoint_restores_parameters_optimizer_and_history(saved):
    """a fresh model loading a checkpoint has the same weights, optimizer state and history"""
    model, history, path = saved
    fresh = prepared(tiny_net())
    restored = cu.load_checkpoint(fresh, path)
    for key, value in params_of(model).items():
        np.testing.assert_array_equal(params_of(fresh)[key], value)
    assert restored.records == history.records
    # The same optimizer state: one identical Adam step moves both networks identically
    # (a fresh Adam would take a different first step).
    data = TinyData(16, seed=5)
    for m in (model, fresh):
        m.train_batch([paddle.to_tensor(data.x)], [paddle.to_tensor(data.y)])
    for key, value in params_of(model).items():
        np.testing.assert_allclose(params_of(fresh)[key], value, rtol=1e-6, atol=1e-7)


def test_resuming_without_optimizer_state_steps_differently(saved):
    """with optimizer=False the fresh Adam starts over, so the same step gives other weights"""
    model, _, path = saved
    fresh = prepared(tiny_net())
    cu.load_checkpoint(fresh, path, optimizer=False)
    data = TinyData(16, seed=5)
    for m in (model, fresh):
        m.train_batch([paddle.to_tensor(data.x)], [paddle.to_tensor(data.y)])
    assert not np.allclose(params_of(fresh)["0.weight"], params_of(model)["0.weight"])


def _truncate(file: Path) -> None:
    file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])


@pytest.mark.parametrize(
    ("damage", "what"),
    [
        (lambda p: _truncate(p / "model.safetensors"), "model.safetensors"),
        (lambda p: (p / "model.safetensors").write_bytes(b""), "model.safetensors"),
        (lambda p: _truncate(p / "optimizer.safetensors"), "optimizer.safetensors"),
        (lambda p: (p / "optimizer.safetensors").unlink(), "optimizer.safetensors"),
        (lambda p: _truncate(p / "meta.json"), "meta.json"),
        (lambda p: (p / "meta.json").write_text("[]"), "meta.json"),
        (lambda p: (p / "meta.json").write_bytes(b"\xff\xfe"), "meta.json"),
        (lambda p: (p / "model.safetensors").unlink(), "model.safetensors"),
    ],
)
def test_a_damaged_checkpoint_says_what_is_damaged(saved, damage, what):
    """every kind of damage raises CheckpointError naming the file, never a raw error"""
    _, _, path = saved
    damage(path)
    with pytest.raises(CheckpointError, match="damaged") as error:
        cu.load_checkpoint(prepared(), path)
    assert what in str(error.value) and "损坏" in str(error.value)


@pytest.mark.parametrize("content", [None, ["notes.txt"]])
def test_an_empty_or_foreign_folder_is_no_checkpoint(tmp_path, content):
    """an empty folder or a folder of other files is reported as no checkpoint"""
    folder = tmp_path / "empty"
    folder.mkdir()
    for name in content or []:
        (folder / name).write_text("x")
    with pytest.raises(CheckpointError, match="No checkpoint"):
        cu.load_checkpoint(prepared(), folder)


def test_missing_checkpoint_says_where_it_looked(tmp_path):
    """loading from a missing folder names the path and the lesson that saves it"""
    with pytest.raises(CheckpointError, match="lesson 05") as error:
        cu.load_checkpoint(prepared(), tmp_path / "nothing" / "deeper")
    assert "nothing" in str(error.value)


def test_sigmoid_lenet_refuses_a_relu_checkpoint(tmp_path):
    """same shapes, other layers: the classic LeNet refuses the ReLU/max checkpoint"""
    relu = cu.as_model(cu.LeNet("relu", "max"))
    path = cu.save_checkpoint(relu, tmp_path / "lenet")
    with pytest.raises(CheckpointError, match=r"features\.1: ReLU\(\) ≠ features\.1: Sigmoid\(\)"):
        cu.load_checkpoint(cu.as_model(cu.LeNet("sigmoid", "avg")), path, optimizer=False)
    cu.load_checkpoint(cu.as_model(cu.LeNet("relu", "max")), path, optimizer=False)


def test_wrong_shapes_name_the_layer(saved):
    """loading into a wider network of the same class raises CheckpointError naming the layer"""
    _, _, path = saved
    with pytest.raises(CheckpointError, match=r"features|0: Conv2D\(1, 4"):
        cu.load_checkpoint(prepared(tiny_net(channels=6)), path)
    with pytest.raises(CheckpointError, match="Sigmoid"):
        cu.load_checkpoint(prepared(tiny_net(act=nn.Sigmoid)), path)


# ---------------------------------------------------------------- 4. no code runs when loading


def test_checkpoints_hold_no_pickle_and_load_without_it(saved, monkeypatch):
    """a checkpoint is safetensors + JSON, and loading it never unpickles anything"""
    _, _, path = saved
    assert sorted(p.name for p in path.iterdir()) == [
        ".course-checkpoint", "meta.json", "model.safetensors", "optimizer.safetensors"
    ]  # fmt: skip

    def no_pickle(*args, **kwargs):
        raise AssertionError("pickle used")

    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    monkeypatch.setattr(paddle, "load", no_pickle)
    cu.load_checkpoint(prepared(), path)


def test_an_old_pickle_checkpoint_is_refused_and_replaced(tmp_path):
    """a checkpoint of the course's first version (pickles) is not loaded but may be replaced"""
    model = prepared()
    fit(model, TinyData(), epochs=1)
    folder = tmp_path / "old"
    model.save(str(folder / "model"))
    (folder / "meta.json").write_text("{}")
    with pytest.raises(CheckpointError, match="pickle"):
        cu.load_checkpoint(prepared(), folder)
    cu.save_checkpoint(model, folder)
    cu.load_checkpoint(prepared(), folder)


def test_inference_export_matches_the_trained_network(saved, tmp_path):
    """save_inference writes json + pdiparams that paddle.jit.load runs to the same logits"""
    model, _, _ = saved
    prefix = cu.save_inference(model, tmp_path / "export")
    names = sorted(p.name for p in prefix.parent.iterdir())
    assert names == [".course-checkpoint", "model.json", "model.pdiparams"]
    x = paddle.to_tensor(TinyData(8, seed=3).x)
    model.network.eval()
    loaded = paddle.jit.load(str(prefix))
    np.testing.assert_allclose(loaded(x).numpy(), model.network(x).numpy(), rtol=1e-5, atol=1e-6)
    cu.save_inference(model, tmp_path / "export")  # its own export is replaced


def test_inference_export_needs_an_input_spec(tmp_path):
    """exporting a model created without inputs= explains what to add"""
    with pytest.raises(ValueError, match="InputSpec"):
        cu.save_inference(paddle.Model(tiny_net()), tmp_path / "export")
