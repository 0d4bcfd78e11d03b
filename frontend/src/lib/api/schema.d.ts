// Generated from the server's OpenAPI schema by `npm run gen:api`: do not edit.
// `npm run check:api` (part of `make test`) fails when this file is stale.

export interface paths {
    "/api/lexicon": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List lexicon entries (those that apply to one model, if given) */
        get: operations["list_entries_api_lexicon_get"];
        put?: never;
        /** Add a lexicon entry (409 if the word has one) */
        post: operations["create_entry_api_lexicon_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/lexicon/{entry_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One lexicon entry */
        get: operations["get_entry_api_lexicon__entry_id__get"];
        /** Replace a lexicon entry */
        put: operations["update_entry_api_lexicon__entry_id__put"];
        post?: never;
        /** Delete a lexicon entry */
        delete: operations["delete_entry_api_lexicon__entry_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every engine: capabilities, availability and state */
        get: operations["list_models_api_models_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{model_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One engine */
        get: operations["get_model_api_models__model_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{model_id}/load": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Load the engine in its group's first worker */
        post: operations["load_model_api_models__model_id__load_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/models/{model_id}/unload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unload the engine from every worker */
        post: operations["unload_model_api_models__model_id__unload_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/system/gpu": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per-device GPU memory and utilisation (or why there is none) */
        get: operations["gpu_api_system_gpu_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/system/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness, database and executor (503 when degraded) */
        get: operations["health_api_system_health_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/system/limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Limits and defaults: text lengths, batch size, speed and pitch ranges per engine, the default model */
        get: operations["limits_api_system_limits_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/system/storage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Disk used by job audio, and the retention setting */
        get: operations["storage_api_system_storage_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Submit one job per line (all or nothing) */
        post: operations["batch_api_tts_batch_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/batches/{batch_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Aggregate status of a batch */
        get: operations["batch_status_api_tts_batches__batch_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/batches/{batch_id}/zip": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** ZIP of the batch's finished audio, streamed */
        get: operations["batch_zip_api_tts_batches__batch_id__zip_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/generate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a generation job
         * @description `X-Cache: hit` when the job was answered from the result cache (it is then complete
         *     already), else `miss`.
         */
        post: operations["generate_api_tts_generate_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/history/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a finished job and its audio (409 while it runs) */
        delete: operations["delete_job_api_tts_history__job_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/history/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete finished jobs and their audio; others are skipped */
        post: operations["delete_jobs_api_tts_history_delete_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/history/prune": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete audio (and optionally jobs) finished before N days ago */
        post: operations["prune_api_tts_history_prune_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List jobs, newest first */
        get: operations["list_jobs_api_tts_jobs_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/jobs/{job_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One job's status */
        get: operations["get_job_api_tts_jobs__job_id__get"];
        put?: never;
        post?: never;
        /**
         * Cancel a pending or running job
         * @description A running job is answered once it has stopped (or after CANCEL_WAIT_S).
         */
        delete: operations["cancel_job_api_tts_jobs__job_id__delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/jobs/{job_id}/audio": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The finished audio (Range requests work) */
        get: operations["job_audio_api_tts_jobs__job_id__audio_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tts/jobs/{job_id}/captions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Word-timed captions of the finished audio
         * @description The job's text, timed by faster-whisper word timestamps aligned to it (409 until the
         *     job is complete). The first request transcribes the audio; later ones are instant.
         */
        get: operations["job_captions_api_tts_jobs__job_id__captions_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Voice profiles, newest first */
        get: operations["list_voices_api_voices_get"];
        put?: never;
        /** Create a voice profile from a reference recording */
        post: operations["create_voice_api_voices_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voices/{voice_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One voice profile */
        get: operations["get_voice_api_voices__voice_id__get"];
        put?: never;
        post?: never;
        /** Delete a profile and its files */
        delete: operations["delete_voice_api_voices__voice_id__delete"];
        options?: never;
        head?: never;
        /** Edit name, description, tags or transcript */
        patch: operations["update_voice_api_voices__voice_id__patch"];
        trace?: never;
    };
    "/api/voices/{voice_id}/audio": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The normalised reference (WAV) */
        get: operations["voice_audio_api_voices__voice_id__audio_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voices/{voice_id}/match": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Make an engine voice from the profile (Kokoro: a style-vector search); returns the job */
        post: operations["match_voice_api_voices__voice_id__match_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/voices/builtin/{model_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The preset voices of a model */
        get: operations["builtin_voices_api_voices_builtin__model_id__get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audio/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Speech models, as Open WebUI reads them */
        get: operations["audio_models_v1_audio_models_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audio/speech": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Generate speech (OpenAI-compatible), streamed */
        post: operations["speech_v1_audio_speech_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audio/voices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Voices: OpenAI names, then the engine's own */
        get: operations["audio_voices_v1_audio_voices_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Models in OpenAI's list shape */
        get: operations["models_v1_models_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** BatchIn */
        BatchIn: {
            /**
             * Cache
             * @description Answer from the result cache when an identical request has finished before, and keep this output there (false: always generate, keep nothing)
             * @default true
             */
            cache?: boolean;
            /**
             * Format
             * @default wav
             * @enum {string}
             */
            format?: "mp3" | "opus" | "aac" | "flac" | "wav" | "pcm";
            /**
             * Keep Alive
             * @description Seconds to keep the model loaded after use
             */
            keep_alive?: number | null;
            /** Language */
            language?: string | null;
            /**
             * Lines
             * @description One job per non-empty line (at most MAX_BATCH_LINES, each at most MAX_TEXT_CHARS)
             */
            lines: string[];
            /**
             * Model Id
             * @description Registry id; default: DEFAULT_MODEL
             */
            model_id?: string | null;
            /**
             * Normalize
             * @description Text normalisation: numbers, dates, money, abbreviations... read as words, Markdown and emoji removed (false: the text is spoken as written; docs/TEXT.md)
             * @default true
             */
            normalize?: boolean;
            /**
             * Normalize Loudness
             * @description Level the output to LOUDNESS_TARGET_LUFS with true peaks at most LOUDNESS_TRUE_PEAK_DB (when LOUDNESS_NORMALIZE is on); false: the engine's own level
             * @default true
             */
            normalize_loudness?: boolean;
            /**
             * Params
             * @description Engine-specific parameters (see /api/models)
             */
            params?: {
                [key: string]: unknown;
            };
            /**
             * Pitch
             * @default 1
             */
            pitch?: number;
            /**
             * Speed
             * @default 1
             */
            speed?: number;
            /**
             * Verify
             * @description Listening check: transcribe the output and store its word error rate; above VERIFY_MAX_WER regenerate with another seed, up to VERIFY_MAX_TRIES (an object overrides both for this job)
             * @default false
             */
            verify?: boolean | components["schemas"]["VerifyIn"];
            /**
             * Voice
             * @description Voice id; default: the model's first voice
             */
            voice?: string | null;
        };
        /** BatchOut */
        BatchOut: {
            /** Batch Id */
            batch_id: string;
            /** Job Ids */
            job_ids: string[];
        };
        /** BatchStatusOut */
        BatchStatusOut: {
            /** Batch Id */
            batch_id: string;
            /** Counts */
            counts: {
                [key: string]: number;
            };
            /** Jobs */
            jobs: components["schemas"]["JobOut"][];
            /** Progress */
            progress: number;
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "running" | "complete" | "partial" | "failed" | "cancelled";
            /** Total */
            total: number;
        };
        /** CaptionCueOut */
        CaptionCueOut: {
            /** End */
            end: number;
            /** Index */
            index: number;
            /** Start */
            start: number;
            /** Text */
            text: string;
        };
        /** CaptionsOut */
        CaptionsOut: {
            /** Cues */
            cues: components["schemas"]["CaptionCueOut"][];
            /** Duration */
            duration: number;
            /** Job Id */
            job_id: string;
            /**
             * Transcript
             * @description What the speech recognizer heard
             */
            transcript: string;
            /** Words */
            words: components["schemas"]["CaptionWordOut"][];
        };
        /** CaptionWordOut */
        CaptionWordOut: {
            /** End */
            end: number;
            /**
             * Matched
             * @description False: heard differently or not at all; the timing is interpolated
             */
            matched: boolean;
            /** Start */
            start: number;
            /**
             * Word
             * @description A word of the job's text, as written
             */
            word: string;
        };
        /** DeleteJobsIn */
        DeleteJobsIn: {
            /**
             * Job Ids
             * @description Finished jobs to delete with their audio; pending and running ones are skipped (cancel them first)
             */
            job_ids: string[];
        };
        /** EngineLimitsOut */
        EngineLimitsOut: {
            /** @description Speeds the engine renders itself */
            native_speed: components["schemas"]["RangeOut"] | null;
            /** @description Pitch factors accepted (None: no pitch control) */
            pitch: components["schemas"]["RangeOut"] | null;
            /** @description Speeds accepted; outside `native_speed` the engine's audio is tempo-changed (pitch kept) */
            speed: components["schemas"]["RangeOut"];
        };
        /** EngineVoiceOut */
        EngineVoiceOut: {
            /** Baseline Similarity */
            baseline_similarity?: number | null;
            /**
             * Baseline Voice
             * @description The closest preset voice
             */
            baseline_voice?: string | null;
            /**
             * Job Id
             * @description The matching job
             */
            job_id?: string | null;
            /** Model Id */
            model_id: string;
            /**
             * Similarity
             * @description Similarity of the engine voice's speech to the reference
             */
            similarity?: number | null;
        } & {
            [key: string]: unknown;
        };
        /** ErrorOut */
        ErrorOut: {
            /**
             * Detail
             * @description What was wrong, in a sentence
             */
            detail: string;
        };
        /** FieldErrorOut */
        FieldErrorOut: {
            /**
             * Loc
             * @description Where: ["body", "speed"], ["query", "page"]
             */
            loc: (string | number)[];
            /** Msg */
            msg: string;
            /** Type */
            type: string;
        };
        /** GenerateIn */
        GenerateIn: {
            /**
             * Cache
             * @description Answer from the result cache when an identical request has finished before, and keep this output there (false: always generate, keep nothing)
             * @default true
             */
            cache?: boolean;
            /**
             * Format
             * @default wav
             * @enum {string}
             */
            format?: "mp3" | "opus" | "aac" | "flac" | "wav" | "pcm";
            /**
             * Keep Alive
             * @description Seconds to keep the model loaded after use
             */
            keep_alive?: number | null;
            /** Language */
            language?: string | null;
            /**
             * Model Id
             * @description Registry id; default: DEFAULT_MODEL
             */
            model_id?: string | null;
            /**
             * Normalize
             * @description Text normalisation: numbers, dates, money, abbreviations... read as words, Markdown and emoji removed (false: the text is spoken as written; docs/TEXT.md)
             * @default true
             */
            normalize?: boolean;
            /**
             * Normalize Loudness
             * @description Level the output to LOUDNESS_TARGET_LUFS with true peaks at most LOUDNESS_TRUE_PEAK_DB (when LOUDNESS_NORMALIZE is on); false: the engine's own level
             * @default true
             */
            normalize_loudness?: boolean;
            /**
             * Params
             * @description Engine-specific parameters (see /api/models)
             */
            params?: {
                [key: string]: unknown;
            };
            /**
             * Pitch
             * @default 1
             */
            pitch?: number;
            /**
             * Speed
             * @default 1
             */
            speed?: number;
            /**
             * Text
             * @description Text to speak (at most MAX_TEXT_CHARS)
             */
            text: string;
            /**
             * Verify
             * @description Listening check: transcribe the output and store its word error rate; above VERIFY_MAX_WER regenerate with another seed, up to VERIFY_MAX_TRIES (an object overrides both for this job)
             * @default false
             */
            verify?: boolean | components["schemas"]["VerifyIn"];
            /**
             * Voice
             * @description Voice id; default: the model's first voice
             */
            voice?: string | null;
        };
        /** GpuDeviceOut */
        GpuDeviceOut: {
            /** Index */
            index: number;
            /** Memory Total Mb */
            memory_total_mb: number;
            /** Memory Used Mb */
            memory_used_mb: number;
            /** Name */
            name: string;
            /** Utilization Percent */
            utilization_percent: number | null;
        };
        /** GpuOut */
        GpuOut: {
            /** Available */
            available: boolean;
            /** Devices */
            devices: components["schemas"]["GpuDeviceOut"][];
            /** Message */
            message: string;
        };
        /** HealthOut */
        HealthOut: {
            /** Database */
            database: string;
            /** Executor */
            executor: string;
            /** Models Available */
            models_available: number;
            /**
             * Problems
             * @default []
             */
            problems?: string[];
            /**
             * Status
             * @enum {string}
             */
            status: "ok" | "degraded";
            /** Version */
            version: string;
        };
        /** JobOut */
        JobOut: {
            /** Attempts */
            attempts: number;
            /** Audio Url */
            audio_url: string | null;
            /** Batch Id */
            batch_id: string | null;
            /** Duration Seconds */
            duration_seconds: number | null;
            /** Error */
            error: string | null;
            /** Finished At */
            finished_at: string | null;
            /** Format */
            format: string;
            /** Id */
            id: string;
            /** Model Id */
            model_id: string;
            /** Parameters */
            parameters: {
                [key: string]: unknown;
            };
            /** Progress */
            progress: number;
            /**
             * Queued At
             * Format: date-time
             */
            queued_at: string;
            /** Sample Rate */
            sample_rate: number | null;
            /**
             * Similarity
             * @description Speaker similarity of the output to the voice profile's reference (cosine of Resemblyzer embeddings; same speaker ~0.8-0.95)
             */
            similarity?: number | null;
            /**
             * Spoken Text
             * @description What was said: the text after normalisation, once the job is complete
             */
            spoken_text?: string | null;
            /** Started At */
            started_at: string | null;
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "running" | "complete" | "failed" | "cancelled";
            /**
             * Task
             * @description Set for jobs that are not plain speech (voice_match)
             */
            task?: string | null;
            /** Text */
            text: string;
            /** @description The listening check, when asked for */
            verify?: components["schemas"]["VerifyOut"] | null;
            /** Voice */
            voice: string | null;
            /**
             * Voice Profile Id
             * @description The voice profile spoken with
             */
            voice_profile_id?: string | null;
            /**
             * Warnings
             * @description What the engine did not honour: SSML tags it ignored, lexicon phonemes it cannot speak (docs/SSML.md)
             */
            warnings?: string[];
        };
        /** JobPageOut */
        JobPageOut: {
            /** Items */
            items: components["schemas"]["JobOut"][];
            /** Page */
            page: number;
            /** Page Size */
            page_size: number;
            /** Pages */
            pages: number;
            /** Total */
            total: number;
        };
        /**
         * LexiconEntryIn
         * @description A pronunciation: `replacement` text (every engine) and/or `phonemes` (engines that take
         *     phonemes in `alphabet`: Piper and Kokoro IPA, eSpeak x-espeak). At least one of the two.
         */
        LexiconEntryIn: {
            /**
             * Alphabet
             * @description The alphabet of `phonemes`
             * @default ipa
             * @enum {string}
             */
            alphabet?: "ipa" | "x-espeak";
            /**
             * Model Id
             * @description The model the entry is for; none: every model (a model's entry wins over a global one for the same word)
             */
            model_id?: string | null;
            /**
             * Phonemes
             * @description How to say it, in `alphabet`
             */
            phonemes?: string | null;
            /**
             * Replacement
             * @description What to say instead
             */
            replacement?: string | null;
            /**
             * Word
             * @description Word or phrase, matched whole and case-insensitively
             */
            word: string;
        } | {
            replacement: string;
        } | {
            phonemes: string;
        };
        /** LexiconEntryOut */
        LexiconEntryOut: {
            /** Alphabet */
            alphabet: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Id */
            id: string;
            /**
             * Model Id
             * @description None: the entry is for every model
             */
            model_id: string | null;
            /** Phonemes */
            phonemes: string | null;
            /** Replacement */
            replacement: string | null;
            /**
             * Updated At
             * Format: date-time
             */
            updated_at: string;
            /** Word */
            word: string;
        };
        /** LexiconOut */
        LexiconOut: {
            /** Items */
            items: components["schemas"]["LexiconEntryOut"][];
        };
        /** LimitsOut */
        LimitsOut: {
            /**
             * Default Model
             * @description DEFAULT_MODEL: used when a request names none
             */
            default_model: string;
            /**
             * Engines
             * @description By model id
             */
            engines: {
                [key: string]: components["schemas"]["EngineLimitsOut"];
            };
            /**
             * Max Batch Lines
             * @description MAX_BATCH_LINES: most lines in one batch
             */
            max_batch_lines: number;
            /**
             * Max Text Chars
             * @description MAX_TEXT_CHARS: longest text on /api/tts
             */
            max_text_chars: number;
            /**
             * Openai Max Input Chars
             * @description OPENAI_MAX_INPUT_CHARS: longest `input` on /v1/audio/speech
             */
            openai_max_input_chars: number;
            /** Voice Max Seconds */
            voice_max_seconds: number;
            /** Voice Max Upload Bytes */
            voice_max_upload_bytes: number;
            /** Voice Min Seconds */
            voice_min_seconds: number;
        };
        /** MatchIn */
        MatchIn: {
            /**
             * Budget S
             * @description Seconds of search (at most VOICE_MATCH_BUDGET_S)
             */
            budget_s?: number | null;
            /**
             * Max Evals
             * @description Most candidate voices tried (at most VOICE_MATCH_MAX_EVALS)
             */
            max_evals?: number | null;
            /**
             * Model Id
             * @description The engine to make a voice for
             * @default kokoro
             */
            model_id?: string;
            /**
             * Seed
             * @description Seed of the evolutionary search
             * @default 0
             */
            seed?: number;
        };
        /** ModelOut */
        ModelOut: {
            /** Available */
            available: boolean;
            /** Capabilities */
            capabilities: string[];
            /** Default Params */
            default_params: {
                [key: string]: unknown;
            };
            /** Description */
            description: string;
            /** Device */
            device: string;
            /** Enabled */
            enabled: boolean;
            /** Extra */
            extra: string | null;
            /** Group */
            group: string;
            /** Hf Repo */
            hf_repo: string | null;
            /** Id */
            id: string;
            /** Languages */
            languages: string[];
            /** License */
            license: string;
            /** Name */
            name: string;
            /**
             * Parameters
             * @description The engine parameters a job's `params` may set, as JSON Schema (type, range)
             */
            parameters?: {
                [key: string]: {
                    [key: string]: unknown;
                };
            };
            /** Queue Depth */
            queue_depth: number;
            /** Standby */
            standby: boolean;
            state: components["schemas"]["ModelStateOut"];
            /** Unavailable Reason */
            unavailable_reason: string | null;
            /** Vram Gb */
            vram_gb: number;
        };
        /** ModelStateOut */
        ModelStateOut: {
            /** Device */
            device?: string | null;
            /** Loaded */
            loaded: boolean;
            /** Memory Bytes */
            memory_bytes?: number | null;
            /**
             * Workers Loaded
             * @default 0
             */
            workers_loaded?: number;
        };
        /** OpenAIErrorBody */
        OpenAIErrorBody: {
            /** Code */
            code: string | null;
            /** Message */
            message: string;
            /**
             * Param
             * @description The request field at fault, when there is one
             */
            param: string | null;
            /**
             * Type
             * @description invalid_request_error, authentication_error, rate_limit_error or server_error
             */
            type: string;
        };
        /** OpenAIErrorOut */
        OpenAIErrorOut: {
            error: components["schemas"]["OpenAIErrorBody"];
        };
        /** PruneIn */
        PruneIn: {
            /**
             * Delete Rows
             * @description Also delete those jobs from the history
             * @default false
             */
            delete_rows?: boolean;
            /**
             * Older Than Days
             * @description Delete the audio of jobs finished more than this many days ago (0: every finished job; at most 36500, a hundred years)
             */
            older_than_days: number;
        };
        /** RangeOut */
        RangeOut: {
            /** Max */
            max: number;
            /** Min */
            min: number;
        };
        /** RemovalOut */
        RemovalOut: {
            /**
             * Audio Cleared
             * @description Jobs kept in the history, audio deleted
             */
            audio_cleared: string[];
            /** Bytes Freed */
            bytes_freed: number;
            /**
             * Deleted
             * @description Jobs deleted from the history, with their files
             */
            deleted: string[];
            /**
             * Files
             * @description Files deleted
             */
            files: number;
            /**
             * Skipped
             * @description Job id -> why it was left alone
             */
            skipped: {
                [key: string]: string;
            };
        };
        /** SpeechIn */
        SpeechIn: {
            /**
             * Cache
             * @description Extra field: false bypasses the result cache
             * @default true
             */
            cache?: boolean;
            /**
             * Input
             * @description Text to speak (at most OPENAI_MAX_INPUT_CHARS)
             */
            input: string;
            /**
             * Instructions
             * @description Used by engines that take instructions (supports_instructions); ignored by the others
             */
            instructions?: string | null;
            /**
             * Model
             * @description tts-1, tts-1-hd, gpt-4o-mini-tts or any registry id
             */
            model: string;
            /**
             * Normalize
             * @description Not in OpenAI's API: false speaks the input as written (no text normalisation)
             * @default true
             */
            normalize?: boolean;
            /**
             * Normalize Loudness
             * @description Not OpenAI's: false keeps the engine's own level instead of LOUDNESS_TARGET_LUFS
             * @default true
             */
            normalize_loudness?: boolean;
            /**
             * Response Format
             * @default mp3
             * @enum {string}
             */
            response_format?: "mp3" | "opus" | "aac" | "flac" | "wav" | "pcm";
            /**
             * Speed
             * @default 1
             */
            speed?: number;
            /**
             * Stream Format
             * @default audio
             * @enum {string}
             */
            stream_format?: "audio" | "sse";
            /**
             * Voice
             * @description OpenAI voice name or engine voice id
             */
            voice?: string | components["schemas"]["VoiceRef"] | null;
        };
        /** StorageOut */
        StorageOut: {
            /**
             * Audio Bytes
             * @description Disk used by job audio
             */
            audio_bytes: number;
            /**
             * Audio Dir
             * @description AUDIO_OUTPUT_DIR
             */
            audio_dir: string;
            /** Audio Files */
            audio_files: number;
            /**
             * Retention Days
             * @description AUDIO_RETENTION_DAYS (0: audio kept forever)
             */
            retention_days: number;
            /**
             * Retention Delete Rows
             * @description RETENTION_DELETE_ROWS
             */
            retention_delete_rows: boolean;
        };
        /** ValidationErrorOut */
        ValidationErrorOut: {
            /**
             * Detail
             * @description What was wrong, in a sentence
             */
            detail: string;
            /**
             * Errors
             * @description Every field at fault
             */
            errors: components["schemas"]["FieldErrorOut"][];
        };
        /** VerifyIn */
        VerifyIn: {
            /**
             * Max Tries
             * @description default VERIFY_MAX_TRIES
             */
            max_tries?: number | null;
            /**
             * Max Wer
             * @description default VERIFY_MAX_WER
             */
            max_wer?: number | null;
        };
        /** VerifyOut */
        VerifyOut: {
            /** Max Tries */
            max_tries: number;
            /** Max Wer */
            max_wer: number;
            /**
             * Passed
             * @description wer <= max_wer (None until checked)
             */
            passed: boolean | null;
            /** Tries */
            tries: components["schemas"]["VerifyTryOut"][];
            /**
             * Wer
             * @description Word error rate of the kept audio
             */
            wer: number | null;
        };
        /** VerifyTryOut */
        VerifyTryOut: {
            /**
             * Attempt
             * @description 1 for the first generation
             */
            attempt: number;
            /** Seconds */
            seconds?: number | null;
            /** Seed */
            seed: number | null;
            /** Transcript */
            transcript: string;
            /** Wer */
            wer: number;
        };
        /** VoiceOut */
        VoiceOut: {
            /** Gender */
            gender?: string | null;
            /** Id */
            id: string;
            /** Language */
            language?: string | null;
            /** Name */
            name: string;
        };
        /** VoicePatchIn */
        VoicePatchIn: {
            /** Description */
            description?: string | null;
            /** Name */
            name?: string | null;
            /** Tags */
            tags?: string[] | null;
            /** Transcript */
            transcript?: string | null;
        };
        /** VoiceProfileOut */
        VoiceProfileOut: {
            /** Audio Url */
            audio_url: string;
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string | null;
            /** Duration Seconds */
            duration_seconds: number | null;
            /**
             * Engine Voices
             * @description Engine voices made from this profile (kokoro: POST /api/voices/{id}/match)
             */
            engine_voices: {
                [key: string]: components["schemas"]["EngineVoiceOut"];
            };
            /** Id */
            id: string;
            /** Model Id */
            model_id: string | null;
            /** Name */
            name: string;
            /** Sample Rate */
            sample_rate: number | null;
            /**
             * Similarity
             * @description Best similarity of an engine voice
             */
            similarity?: number | null;
            /** Tags */
            tags: string[];
            /**
             * Transcript
             * @description What the reference says (edit with PATCH)
             */
            transcript: string | null;
            /**
             * Transcript Source
             * @description "user" or "whisper:<model>"
             */
            transcript_source: string | null;
            /**
             * Voice
             * @description What to send as `voice` to speak with this profile
             */
            voice: string;
        };
        /** VoiceRef */
        VoiceRef: {
            /** Id */
            id: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    list_entries_api_lexicon_get: {
        parameters: {
            query?: {
                /** @description Only the entries that apply to this model (its own and the global ones) */
                model_id?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LexiconOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_entry_api_lexicon_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LexiconEntryIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LexiconEntryOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_entry_api_lexicon__entry_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lexicon entry id (32 hex characters) */
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LexiconEntryOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_entry_api_lexicon__entry_id__put: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lexicon entry id (32 hex characters) */
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LexiconEntryIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LexiconEntryOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_entry_api_lexicon__entry_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lexicon entry id (32 hex characters) */
                entry_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_models_api_models_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelOut"][];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_model_api_models__model_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    load_model_api_models__model_id__load_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    unload_model_api_models__model_id__unload_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    gpu_api_system_gpu_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GpuOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    health_api_system_health_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthOut"];
                };
            };
            /** @description Degraded: `problems` says why */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthOut"];
                };
            };
        };
    };
    limits_api_system_limits_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LimitsOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    storage_api_system_storage_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StorageOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    batch_api_tts_batch_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    batch_status_api_tts_batches__batch_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Batch id (32 hex characters) */
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchStatusOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    batch_zip_api_tts_batches__batch_id__zip_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Batch id (32 hex characters) */
                batch_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    generate_api_tts_generate_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GenerateIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_job_api_tts_history__job_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id (32 hex characters) */
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RemovalOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_jobs_api_tts_history_delete_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeleteJobsIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RemovalOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    prune_api_tts_history_prune_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PruneIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RemovalOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_jobs_api_tts_jobs_get: {
        parameters: {
            query?: {
                model_id?: string | null;
                page?: number;
                page_size?: number;
                search?: string | null;
                status?: ("pending" | "running" | "complete" | "failed" | "cancelled") | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobPageOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_job_api_tts_jobs__job_id__get: {
        parameters: {
            query?: {
                /** @description Long-poll: answer when the job has finished or after this many seconds in all, instead of polling */
                wait?: number;
            };
            header?: never;
            path: {
                /** @description Job id (32 hex characters) */
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    cancel_job_api_tts_jobs__job_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id (32 hex characters) */
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    job_audio_api_tts_jobs__job_id__audio_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Job id (32 hex characters) */
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    job_captions_api_tts_jobs__job_id__captions_get: {
        parameters: {
            query?: {
                /** @description srt, vtt, or json (every word of the text with its timing) */
                format?: "srt" | "vtt" | "json";
            };
            header?: never;
            path: {
                /** @description Job id (32 hex characters) */
                job_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CaptionsOut"];
                    "application/x-subrip": unknown;
                    "text/vtt": unknown;
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    list_voices_api_voices_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceProfileOut"][];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    create_voice_api_voices_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    description?: string;
                    /**
                     * Format: binary
                     * @description The reference recording: wav, mp3, ogg/opus, flac, m4a, webm (3-60 s of speech, at most VOICE_MAX_UPLOAD_BYTES)
                     */
                    file: string;
                    /** @description The engine the voice is meant for (informative) */
                    model_id?: string;
                    name: string;
                    /** @description Repeated fields, or one comma-separated field */
                    tags?: string[];
                    /** @description What the recording says; transcribed with Whisper if left out */
                    transcript?: string;
                };
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceProfileOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    get_voice_api_voices__voice_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Voice profile id (32 hex characters) */
                voice_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceProfileOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    delete_voice_api_voices__voice_id__delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Voice profile id (32 hex characters) */
                voice_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    update_voice_api_voices__voice_id__patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Voice profile id (32 hex characters) */
                voice_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VoicePatchIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceProfileOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    voice_audio_api_voices__voice_id__audio_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Voice profile id (32 hex characters) */
                voice_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    match_voice_api_voices__voice_id__match_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Voice profile id (32 hex characters) */
                voice_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["MatchIn"] | null;
            };
        };
        responses: {
            /** @description Successful Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JobOut"];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    builtin_voices_api_voices_builtin__model_id__get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VoiceOut"][];
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description A field is missing, of the wrong type or out of range */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorOut"];
                };
            };
        };
    };
    audio_models_v1_audio_models_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: {
                            [key: string]: string;
                        }[];
                    };
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
        };
    };
    speech_v1_audio_speech_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SpeechIn"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
        };
    };
    audio_voices_v1_audio_voices_get: {
        parameters: {
            query?: {
                model?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: {
                            [key: string]: string;
                        }[];
                    };
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
        };
    };
    models_v1_models_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The request cannot be served (unknown model or voice, bad parameter, SSML that is not valid, with its line and column, ...) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description Missing or invalid API key (only when keys are configured) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description No such job, batch, voice, model or lexicon entry */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The job is not in a state that allows this (audio of an unfinished job, ...), or the word already has a lexicon entry */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The request body is larger than the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description A limit was reached; Retry-After says when to try again */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
            /** @description The model cannot run here (the message says why) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAIErrorOut"];
                };
            };
        };
    };
}
