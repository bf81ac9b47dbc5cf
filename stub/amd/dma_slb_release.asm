; The DMA scenarios' secure loader, variant release (include/dma_slb.inc).
%define DMA_SLB_MODE 1
%include "dma_slb.inc"
