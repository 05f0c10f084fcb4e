"""Tiny randomly initialised models (and their tokenizers), saved the way real checkpoints are.

Each builder writes a folder that the engines load back with `from_pretrained(..., local_files_only=True)`,
so the engines' real loading and inference code runs in seconds on a CPU.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, cast

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def offline() -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)


def build_vits(folder: Path) -> Path:
    """A character-level VITS (MMS-TTS layout: vocab.json, no phonemizer) speaking at 16 kHz."""
    offline()
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = {"<pad>": 0, " ": 1, **{c: i + 2 for i, c in enumerate(LETTERS + "'")}}
    vocab["<unk>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    tokenizer = VitsTokenizer(str(folder / "vocab.json"), add_blank=True, normalize=True, phonemize=False)
    config = VitsConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, ffn_dim=32,
        flow_size=16, spectrogram_bins=17, upsample_initial_channel=16, upsample_rates=[8, 8],
        upsample_kernel_sizes=[16, 16], resblock_kernel_sizes=[3], resblock_dilation_sizes=[[1, 3]],
        prior_encoder_num_flows=1, prior_encoder_num_wavenet_layers=1, posterior_encoder_num_wavenet_layers=1,
        duration_predictor_filter_channels=16, duration_predictor_num_flows=1, depth_separable_num_layers=1,
        depth_separable_channels=2, sampling_rate=16000,
    )  # fmt: skip
    VitsModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _sentencepiece(folder: Path, name: str) -> Path:
    import sentencepiece

    corpus = folder / "corpus.txt"
    corpus.write_text("the cat sat on the mat\ngood morning to the village\nle chat dort au soleil\n" * 10)
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(folder / name), vocab_size=40, model_type="char",
        character_coverage=1.0, bos_id=-1, eos_id=-1, unk_id=1, pad_id=-1, minloglevel=2,
    )  # fmt: skip
    corpus.unlink()
    return folder / f"{name}.model"


def build_marian(folder: Path, target: str) -> Path:
    """A MarianMT model with shared sentencepiece vocabulary, tokenizer saved beside it."""
    offline()
    import sentencepiece
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    model_file = _sentencepiece(folder, "spm")
    for side in ("source", "target"):
        shutil.copy(model_file, folder / f"{side}.spm")
    pieces = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
    vocab = {"</s>": 0, "<unk>": 1, "<pad>": 2}
    for n in range(pieces.get_piece_size()):
        vocab.setdefault(pieces.id_to_piece(n), len(vocab))
    (folder / "vocab.json").write_text(json.dumps(vocab))
    for leftover in folder.glob("spm.*"):
        leftover.unlink()
    tokenizer = MarianTokenizer(
        str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"), target_lang=target
    )
    config = MarianConfig(
        vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=64,
        pad_token_id=2, eos_token_id=0, decoder_start_token_id=2,
    )  # fmt: skip
    model = MarianMTModel(config)
    with torch.no_grad():
        # Make end-of-sentence unlikely at first so the random model writes some words.
        model.final_logits_bias[0, 0] = -4.0
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_musicgen(folder: Path) -> Path:
    """MusicGen with a 1-layer decoder over a tiny EnCodec (32 kHz, 50 frames/s) and a tiny T5 encoder."""
    offline()
    import torch
    from transformers import (
        EncodecConfig,
        EncodecFeatureExtractor,
        MusicgenConfig,
        MusicgenDecoderConfig,
        MusicgenForConditionalGeneration,
        MusicgenProcessor,
        T5Config,
        T5Tokenizer,
    )

    folder.mkdir(parents=True, exist_ok=True)
    spm = _sentencepiece(folder, "t5")
    tokenizer = T5Tokenizer(vocab_file=str(spm), extra_ids=0)
    for leftover in folder.glob("t5.*"):
        leftover.unlink()
    MusicgenProcessor(
        feature_extractor=EncodecFeatureExtractor(feature_size=1, sampling_rate=32000), tokenizer=tokenizer
    ).save_pretrained(folder)
    text = T5Config(vocab_size=tokenizer.vocab_size + 8, d_model=16, d_ff=32, num_layers=1, num_heads=2, d_kv=8)
    audio = EncodecConfig(
        sampling_rate=32000, audio_channels=1, num_filters=4, hidden_size=8, upsampling_ratios=[8, 5, 4, 4],
        codebook_size=32, codebook_dim=8, num_residual_layers=1, target_bandwidths=[2.2],
        use_causal_conv=False, num_lstm_layers=1, norm_type="weight_norm", compress=2,
    )  # fmt: skip
    decoder = MusicgenDecoderConfig(
        vocab_size=32, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, ffn_dim=32,
        num_codebooks=4, max_position_embeddings=1024, pad_token_id=32, bos_token_id=32,
        decoder_start_token_id=32,  # type: ignore[call-arg]  # real MusicGen configs carry it
    )  # fmt: skip
    config = MusicgenConfig(text_encoder=text.to_dict(), audio_encoder=audio.to_dict(), decoder=decoder.to_dict())
    model = MusicgenForConditionalGeneration(config)
    with torch.no_grad():
        # EnCodec's codebooks start as zeros (real ones are learned): make codes decode to different sounds.
        quantizer: Any = model.audio_encoder.quantizer
        for layer in quantizer.layers:
            layer.codebook.embed.normal_()
    model.generation_config.pad_token_id = 32
    model.generation_config.decoder_start_token_id = 32
    model.save_pretrained(folder)
    return folder


def build_diffusion(folder: Path) -> Path:
    """A Stable Diffusion pipeline with an 8/16-channel UNet and VAE and a 1-layer CLIP text encoder."""
    offline()
    from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for c in LETTERS:
        vocab[c] = len(vocab)
        vocab[c + "</w>"] = len(vocab)
    words = folder / "words"
    words.mkdir()
    (words / "vocab.json").write_text(json.dumps(vocab))
    (words / "merges.txt").write_text("#version: 0.2\n")
    tokenizer = CLIPTokenizer(str(words / "vocab.json"), str(words / "merges.txt"), model_max_length=77)
    unet = UNet2DConditionModel(
        block_out_channels=(8, 16), layers_per_block=1, sample_size=8, in_channels=4, out_channels=4,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"), up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=16, norm_num_groups=4, attention_head_dim=2,
    )  # fmt: skip
    vae = AutoencoderKL(
        block_out_channels=[8, 16], in_channels=3, out_channels=3, latent_channels=4, norm_num_groups=4,
        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2, sample_size=16,
    )  # fmt: skip
    text_config = CLIPTextConfig(
        vocab_size=len(vocab), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
        num_attention_heads=2, max_position_embeddings=77, bos_token_id=0, eos_token_id=1, pad_token_id=1,
    )  # fmt: skip
    text = CLIPTextModel(text_config)
    pipeline = StableDiffusionPipeline(
        unet=unet, vae=vae, text_encoder=text, tokenizer=tokenizer, scheduler=DDIMScheduler(clip_sample=False, steps_offset=1),
        safety_checker=None, feature_extractor=None, requires_safety_checker=False,
    )  # fmt: skip
    cast(Any, pipeline).save_pretrained(folder / "pipeline")
    return folder / "pipeline"


WHISPER_WORDS = ("hello", "world", "the", "bells", "rang", "at", "dawn", "she", "smiled", "village")


def build_whisper_ct2(folder: Path) -> Path:
    """A 1-layer Whisper with a whole-word byte-level vocabulary, converted to CTranslate2 for faster-whisper."""
    offline()
    import torch
    from ctranslate2.converters import TransformersConverter
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers
    from transformers import WhisperConfig, WhisperFeatureExtractor, WhisperForConditionalGeneration

    hf = folder / "transformers"
    hf.mkdir(parents=True, exist_ok=True)
    # Byte-level symbols first (the BPE model needs them), then words, specials and timestamps.
    vocab = {symbol: n for n, symbol in enumerate(sorted(pre_tokenizers.ByteLevel.alphabet()))}
    for word in WHISPER_WORDS:
        vocab["\u0120" + word] = len(vocab)
    specials = ["<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|translate|>", "<|transcribe|>",
                "<|startoflm|>", "<|startofprev|>", "<|nocaptions|>", "<|notimestamps|>"]  # fmt: skip
    timestamps = [f"<|{n * 0.02:.2f}|>" for n in range(1501)]
    for token in specials + timestamps:
        vocab[token] = len(vocab)
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.add_special_tokens([AddedToken(s, special=True) for s in specials])
    tokenizer.add_tokens([AddedToken(t, special=False) for t in timestamps])
    tokenizer.save(str(hf / "tokenizer.json"))
    eot = vocab["<|endoftext|>"]
    config = WhisperConfig(
        vocab_size=len(vocab), num_mel_bins=80, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, d_model=16, encoder_ffn_dim=32, decoder_ffn_dim=32,
        max_source_positions=1500, max_target_positions=448, pad_token_id=eot, bos_token_id=eot,
        eos_token_id=eot, decoder_start_token_id=vocab["<|startoftranscript|>"], begin_suppress_tokens=[],
    )  # fmt: skip
    bytes_only = list(range(len(pre_tokenizers.ByteLevel.alphabet())))  # so the random model writes whole words
    model = WhisperForConditionalGeneration(config)
    with torch.no_grad():
        # Output logits use the token embeddings: strong word rows and silent timestamp rows make the
        # random model write words (one segment per 30 s window) instead of ending at once.
        embeddings = model.model.decoder.embed_tokens.weight
        words = [vocab["\u0120" + word] for word in WHISPER_WORDS]
        embeddings[words] *= 60.0
        embeddings[vocab[timestamps[0]] :] = 0.0
    # Whisper-only generation fields the converter reads (not declared on GenerationConfig).
    generation: Any = model.generation_config
    generation.alignment_heads = [[0, 0], [0, 1]]
    generation.lang_to_id = {"<|en|>": vocab["<|en|>"]}
    generation.is_multilingual = True
    generation.suppress_tokens = bytes_only
    model.save_pretrained(hf)
    WhisperFeatureExtractor(feature_size=80).save_pretrained(hf)
    out = folder / "ct2"
    TransformersConverter(str(hf), copy_files=["tokenizer.json", "preprocessor_config.json"]).convert(str(out))
    return out
