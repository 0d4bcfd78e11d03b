// Names for the generated OpenAPI types (schema.d.ts), so pages use the server's own shapes.
import type { components, paths } from './schema';

type Schemas = components['schemas'];
export type ApiPath = keyof paths;
export type Job = Schemas['JobOut'];
export type JobPage = Schemas['JobPageOut'];
export type JobStatus = Job['status'];
export type GenerateRequest = Schemas['GenerateIn'];
export type BatchRequest = Schemas['BatchIn'];
export type BatchCreated = Schemas['BatchOut'];
export type BatchStatus = Schemas['BatchStatusOut'];
export type Model = Schemas['ModelOut'];
export type BuiltinVoice = Schemas['VoiceOut'];
export type Gpu = Schemas['GpuOut'];
export type GpuDevice = Schemas['GpuDeviceOut'];
export type Health = Schemas['HealthOut'];
export type AudioFormat = NonNullable<GenerateRequest['format']>;
export type Limits = Schemas['LimitsOut'];
export type EngineLimits = Schemas['EngineLimitsOut'];
export type Storage = Schemas['StorageOut'];
export type Removal = Schemas['RemovalOut'];
export type LexiconEntry = Schemas['LexiconEntryOut'];
export type LexiconEntryIn = Schemas['LexiconEntryIn'];
export type Lexicon = Schemas['LexiconOut'];
/** The phoneme alphabets of lexicon entries (ssml.ALPHABETS on the server). */
export type LexiconAlphabet = 'ipa' | 'x-espeak';

export const AUDIO_FORMATS: readonly AudioFormat[] = ['wav', 'mp3', 'opus', 'aac', 'flac', 'pcm'];
export const JOB_STATUSES: readonly JobStatus[] = [
	'pending',
	'running',
	'complete',
	'failed',
	'cancelled'
];

export type VoiceProfile = Schemas['VoiceProfileOut'];
export type VoicePatch = Schemas['VoicePatchIn'];
export type EngineVoice = Schemas['EngineVoiceOut'];
export type MatchRequest = Schemas['MatchIn'];

/** Events of /ws/jobs/{id}. */
export type JobEvent =
	| { type: 'queued' | 'loading'; job_id: string; status?: string; progress?: number }
	| { type: 'generating'; job_id: string; status?: string; progress?: number }
	| {
			type: 'audio_chunk';
			job_id: string;
			sample_rate: number;
			encoding: 'pcm_s16le';
			progress?: number | null;
			audio: string;
	  }
	| { type: 'complete'; job_id: string; duration?: number | null; progress?: number }
	| { type: 'failed' | 'cancelled'; job_id: string; error?: string | null }
	| { type: 'error'; error: string };
