// Weight format a checkpoint declares: `quantization_config` (fp8, AWQ, GPTQ, compressed-tensors, bitsandbytes)
// or, unquantised, its `torch_dtype`.
import { ModelConfigError } from '../errors.js';
import type { ConfigFields } from './config-fields.js';
import type { WeightFormat } from './model-catalogue.js';

const FIELD = 'quantization_config';

function bitsFormat(fields: ConfigFields, field: string, bits: unknown, float: boolean): WeightFormat {
  if (bits === 4) return 'int4';
  if (bits === 8) return float ? 'fp8' : 'int8';
  throw new ModelConfigError(fields.file, field, bits, 'must be 4 or 8 bits');
}

// compressed-tensors (llm-compressor): the first config group's weight scheme.
function compressedTensors(fields: ConfigFields, config: Record<string, unknown>): WeightFormat {
  const groups = config.config_groups;
  const first =
    typeof groups === 'object' && groups !== null
      ? Object.values(groups as Record<string, unknown>)[0]
      : undefined;
  const weights = (first as { weights?: { num_bits?: unknown; type?: unknown } } | undefined)?.weights;
  if (weights === undefined)
    throw new ModelConfigError(fields.file, `${FIELD}.config_groups`, groups, 'has no weight scheme');
  return bitsFormat(
    fields,
    `${FIELD}.config_groups.*.weights.num_bits`,
    weights.num_bits,
    weights.type === 'float',
  );
}

/** The weight format of a config.json: its quantisation method, else bf16 (fp16/fp32 checkpoints load as 16 bits). */
export function weightFormatOfConfig(fields: ConfigFields): WeightFormat {
  const config = fields.json[FIELD];
  if (config === undefined || config === null) {
    const dtype = fields.str('torch_dtype') ?? fields.str('dtype') ?? 'bfloat16';
    if (!['bfloat16', 'float16', 'float32', 'fp16', 'bf16'].includes(dtype))
      throw new ModelConfigError(fields.file, 'torch_dtype', dtype, 'is not bfloat16, float16 or float32');
    return 'bf16';
  }
  if (typeof config !== 'object') throw new ModelConfigError(fields.file, FIELD, config, 'must be an object');
  const q = config as Record<string, unknown>;
  const method = typeof q.quant_method === 'string' ? q.quant_method.toLowerCase() : undefined;
  switch (method) {
    case 'fp8':
    case 'fbgemm_fp8':
      return 'fp8';
    case 'awq':
    case 'gptq':
    case 'gptq_marlin':
    case 'awq_marlin':
      return bitsFormat(fields, `${FIELD}.bits`, q.bits ?? q.w_bit, false);
    case 'compressed-tensors':
      return compressedTensors(fields, q);
    case 'bitsandbytes':
      return q.load_in_4bit === true ? 'int4' : 'int8';
    default:
      throw new ModelConfigError(
        fields.file,
        `${FIELD}.quant_method`,
        q.quant_method,
        'is not one of fp8, fbgemm_fp8, awq, gptq, compressed-tensors, bitsandbytes',
      );
  }
}
