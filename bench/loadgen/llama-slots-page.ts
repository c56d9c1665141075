// A /slots answer shaped like Debian's llama-server b11669 (checked against a live one): per slot its context size,
// whether it is processing, its task's token counts, the task's sampling parameters and its next-token state. The
// first `busy` slots are processing, holding `heldTokens` each.
const PARAMS = {
  seed: 4294967295,
  temperature: 0.8,
  dynatemp_range: 0,
  dynatemp_exponent: 1,
  top_k: 40,
  top_p: 0.95,
  min_p: 0.05,
  top_n_sigma: -1,
  xtc_probability: 0,
  xtc_threshold: 0.1,
  typical_p: 1,
  repeat_last_n: 64,
  repeat_penalty: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
  dry_multiplier: 0,
  dry_base: 1.75,
  dry_allowed_length: 2,
  dry_penalty_last_n: 64,
  mirostat: 0,
  mirostat_tau: 5,
  mirostat_eta: 0.1,
  adaptive_target: -1,
  adaptive_decay: 0.9,
  max_tokens: 400,
  n_predict: 400,
  n_keep: 0,
  n_discard: 0,
  ignore_eos: true,
  stream: true,
  n_probs: 0,
  min_keep: 0,
  chat_format: 'Content-only',
  reasoning_format: 'deepseek',
  reasoning_in_content: false,
  generation_prompt: '',
  samplers: ['penalties', 'dry', 'top_n_sigma', 'top_k', 'typ_p', 'top_p', 'min_p', 'xtc', 'temperature'],
  'speculative.types': 'none',
  timings_per_token: false,
  post_sampling_probs: false,
  backend_sampling: false,
  lora: [],
};

/** The slot list of a server with `slots` slots of `nCtx` context tokens. */
export function llamaSlotsPage(slots: number, busy: number, heldTokens: number, nCtx = 4096): string {
  const list = Array.from({ length: slots }, (_, id) => {
    const processing = id < busy;
    return {
      id,
      n_ctx: nCtx,
      speculative: false,
      is_processing: processing,
      id_task: 1000 + id,
      n_prompt_tokens: processing ? heldTokens : 0,
      n_prompt_tokens_processed: processing ? 12 : 0,
      n_prompt_tokens_cache: 0,
      params: PARAMS,
      next_token: [{ has_next_token: processing, has_new_line: false, n_remain: 100, n_decoded: heldTokens }],
    };
  });
  return JSON.stringify(list);
}
